package archy.ecash.crypto;

import archy.nostr.Hex;
import java.util.Arrays;

/**
 * A point on secp256k1 other than infinity. Cashu exchanges points SEC1-compressed (33 bytes, NUT-00/01) and
 * hashes them uncompressed (65 bytes, NUT-12), so both forms are offered; only the compressed form is accepted
 * as input, because NUT-01 requires mints to publish compressed keys.
 */
public final class Point {
  private final byte[] uncompressed; // 0x04 || x || y, the form libsecp256k1 returns

  private Point(byte[] uncompressed) {
    this.uncompressed = uncompressed;
  }

  /** Parses 33 compressed bytes; throws {@link IllegalArgumentException} when they are not a point. */
  public static Point fromCompressed(byte[] compressed) {
    if (compressed == null || compressed.length != 33 || (compressed[0] != 2 && compressed[0] != 3)) {
      throw new IllegalArgumentException("a point must be 33 bytes, SEC1-compressed");
    }
    return new Point(Secp.get().parse(compressed));
  }

  /** Parses 66 hex characters of a compressed point. */
  public static Point fromHex(String hex) {
    if (hex == null || hex.length() != 66) {
      throw new IllegalArgumentException("a point must be 66 hex characters, SEC1-compressed");
    }
    return fromCompressed(Hex.decode(hex));
  }

  static Point ofUncompressed(byte[] uncompressed) {
    return new Point(uncompressed);
  }

  /** {@code k·G}. */
  static Point multiplyBase(Scalar k) {
    return new Point(Secp.get().base(k.bytes()));
  }

  public Point add(Point other) {
    return new Point(Secp.get().add(uncompressed, other.uncompressed));
  }

  public Point subtract(Point other) {
    return add(other.negate());
  }

  public Point negate() {
    return new Point(Secp.get().negate(uncompressed));
  }

  public Point multiply(Scalar k) {
    return new Point(Secp.get().multiply(uncompressed, k.bytes()));
  }

  /** 33 bytes: 0x02 or 0x03 (parity of y) followed by x. */
  public byte[] compressed() {
    byte[] out = new byte[33];
    out[0] = (byte) ((uncompressed[64] & 1) == 0 ? 2 : 3);
    System.arraycopy(uncompressed, 1, out, 1, 32);
    return out;
  }

  /** 65 bytes: 0x04 || x || y. */
  public byte[] uncompressed() {
    return uncompressed.clone();
  }

  /** The 32-byte x coordinate, which BIP-340 uses as the public key. */
  public byte[] xOnly() {
    return Arrays.copyOfRange(uncompressed, 1, 33);
  }

  /** Lowercase hex of the compressed form, as Cashu JSON spells points. */
  public String toHex() {
    return Hex.encode(compressed());
  }

  byte[] uncompressedUnsafe() {
    return uncompressed;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Point p && Arrays.equals(uncompressed, p.uncompressed);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(uncompressed);
  }

  @Override
  public String toString() {
    return toHex();
  }
}
