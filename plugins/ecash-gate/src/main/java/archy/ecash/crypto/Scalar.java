package archy.ecash.crypto;

import archy.nostr.Hex;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.SecureRandom;

/**
 * An integer in [1, n-1] modulo the secp256k1 group order: a private key, a blinding factor {@code r}, or a
 * DLEQ value. Often secret, so {@link #toString()} never shows it.
 */
public final class Scalar {
  /** The order n of the secp256k1 group. */
  public static final BigInteger ORDER = BouncySecp.N;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] bytes; // 32 bytes, big-endian

  private Scalar(byte[] bytes) {
    this.bytes = bytes;
  }

  /** 32 big-endian bytes in [1, n-1]; anything else throws {@link IllegalArgumentException}. */
  public static Scalar fromBytes(byte[] bytes) {
    if (bytes == null || bytes.length != 32) throw new IllegalArgumentException("a scalar must be 32 bytes");
    BigInteger k = new BigInteger(1, bytes);
    if (k.signum() == 0 || k.compareTo(ORDER) >= 0) {
      throw new IllegalArgumentException("a scalar must be in [1, n-1]");
    }
    return new Scalar(bytes.clone());
  }

  public static Scalar fromHex(String hex) {
    if (hex == null || hex.length() != 64) throw new IllegalArgumentException("a scalar must be 64 hex characters");
    return fromBytes(Hex.decode(hex));
  }

  /** Interprets any byte string as a big-endian integer and reduces it modulo n (NUT-13's {@code r = digest % N}). */
  public static Scalar reduce(byte[] bytes) {
    BigInteger k = new BigInteger(1, bytes).mod(ORDER);
    if (k.signum() == 0) throw new ArithmeticException("value reduces to zero modulo n");
    return new Scalar(toBytes32(k));
  }

  /** A uniformly random scalar from a CSPRNG (rejection sampling, so no modulo bias). */
  public static Scalar random() {
    byte[] b = new byte[32];
    while (true) {
      RANDOM.nextBytes(b);
      BigInteger k = new BigInteger(1, b);
      if (k.signum() > 0 && k.compareTo(ORDER) < 0) return new Scalar(b);
    }
  }

  /** {@code this·G}. */
  public Point publicKey() {
    return Point.multiplyBase(this);
  }

  /** {@code (this + other) mod n}. */
  public Scalar add(Scalar other) {
    return new Scalar(Secp.get().scalarAdd(bytes, other.bytes));
  }

  /** {@code (this · other) mod n}. */
  public Scalar multiply(Scalar other) {
    return new Scalar(Secp.get().scalarMultiply(bytes, other.bytes));
  }

  public byte[] toBytes() {
    return bytes.clone();
  }

  public String toHex() {
    return Hex.encode(bytes);
  }

  byte[] bytes() {
    return bytes;
  }

  static byte[] toBytes32(BigInteger k) {
    byte[] raw = k.toByteArray();
    byte[] out = new byte[32];
    int n = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - n, out, 32 - n, n);
    return out;
  }

  /** Constant-time comparison, since scalars are often secret. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Scalar s && MessageDigest.isEqual(bytes, s.bytes);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "Scalar[redacted]";
  }
}
