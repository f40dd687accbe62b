package archy.nostr;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Locale;

/**
 * BIP-173 bech32 (NIP-19) and BIP-350 bech32m (Cashu NUT-26 payment requests) over 8-bit data; the two
 * differ only in the checksum constant. BIP-173's 90-character limit is not enforced: it exists for
 * segwit addresses, and NIP-19 entities with relay URLs, like payment requests, are longer.
 */
public final class Bech32 {
  /** The checksum flavour. */
  public enum Variant {
    BECH32(1), BECH32M(0x2bc830a3);

    final int constant;

    Variant(int constant) {
      this.constant = constant;
    }
  }

  private static final String CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
  private static final int[] GENERATOR = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3};
  private static final int CHECKSUM_LENGTH = 6;

  public record Decoded(String hrp, byte[] data) {}

  private Bech32() {}

  /** Encodes 8-bit {@code data} as bech32 under the lowercase human-readable part {@code hrp}. */
  public static String encode(String hrp, byte[] data) {
    return encode(Variant.BECH32, hrp, data);
  }

  /** Decodes a bech32 string (all lowercase or all uppercase) into its prefix and 8-bit data. */
  public static Decoded decode(String s) {
    return decode(Variant.BECH32, s);
  }

  public static String encode(Variant variant, String hrp, byte[] data) {
    return encodeWords(variant, hrp, regroup(data, 8, 5, true));
  }

  /**
   * Encodes 5-bit {@code words} (each 0..31) as they are, for formats whose data is not whole bytes (BOLT11
   * invoices carry tagged 5-bit fields followed by a signature).
   */
  public static String encodeWords(Variant variant, String hrp, byte[] words) {
    checkHrp(hrp);
    if (!hrp.equals(hrp.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException("bech32 prefix must be lowercase");
    }
    for (byte w : words) {
      if ((w & 0xff) > 31) throw new IllegalArgumentException("bech32 words are 5-bit values");
    }
    byte[] values = words;
    byte[] checksum = checksum(variant, hrp, values);
    StringBuilder sb = new StringBuilder(hrp.length() + 1 + values.length + CHECKSUM_LENGTH);
    sb.append(hrp).append('1');
    for (byte v : values) sb.append(CHARSET.charAt(v));
    for (byte v : checksum) sb.append(CHARSET.charAt(v));
    return sb.toString();
  }

  public static Decoded decode(Variant variant, String s) {
    Decoded words = decodeWords(variant, s);
    return new Decoded(words.hrp(), regroup(words.data(), 5, 8, false));
  }

  /** Decodes to the prefix and the 5-bit words before the checksum, without regrouping them into bytes. */
  public static Decoded decodeWords(Variant variant, String s) {
    boolean lower = false, upper = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 33 || c > 126) {
        throw new IllegalArgumentException("bech32 string has a character out of range at position " + i);
      }
      lower |= c >= 'a' && c <= 'z';
      upper |= c >= 'A' && c <= 'Z';
    }
    if (lower && upper) throw new IllegalArgumentException("bech32 string mixes upper and lower case");
    String str = s.toLowerCase(Locale.ROOT);
    int separator = str.lastIndexOf('1');
    if (separator < 0) throw new IllegalArgumentException("bech32 string has no '1' separator");
    if (separator == 0) throw new IllegalArgumentException("bech32 prefix is empty");
    if (str.length() - separator - 1 < CHECKSUM_LENGTH) {
      throw new IllegalArgumentException("bech32 checksum is too short");
    }
    String hrp = str.substring(0, separator);
    byte[] values = new byte[str.length() - separator - 1];
    for (int i = 0; i < values.length; i++) {
      char c = str.charAt(separator + 1 + i);
      int v = CHARSET.indexOf(c);
      if (v < 0) throw new IllegalArgumentException("bech32 string has an invalid character '" + c + "'");
      values[i] = (byte) v;
    }
    if (polymod(hrp, values) != variant.constant) {
      throw new IllegalArgumentException("bad " + variant.name().toLowerCase(Locale.ROOT) + " checksum");
    }
    return new Decoded(hrp, Arrays.copyOf(values, values.length - CHECKSUM_LENGTH));
  }

  private static void checkHrp(String hrp) {
    if (hrp.isEmpty()) throw new IllegalArgumentException("bech32 prefix is empty");
    for (int i = 0; i < hrp.length(); i++) {
      char c = hrp.charAt(i);
      if (c < 33 || c > 126) throw new IllegalArgumentException("bech32 prefix has a character out of range");
    }
  }

  private static byte[] checksum(Variant variant, String hrp, byte[] values) {
    byte[] padded = Arrays.copyOf(values, values.length + CHECKSUM_LENGTH);
    int mod = polymod(hrp, padded) ^ variant.constant;
    byte[] out = new byte[CHECKSUM_LENGTH];
    for (int i = 0; i < CHECKSUM_LENGTH; i++) out[i] = (byte) ((mod >>> (5 * (5 - i))) & 31);
    return out;
  }

  /** The BCH checksum over the expanded prefix (high bits, zero, low bits) followed by the values. */
  private static int polymod(String hrp, byte[] values) {
    int chk = 1;
    for (int i = 0; i < hrp.length(); i++) chk = step(chk, hrp.charAt(i) >>> 5);
    chk = step(chk, 0);
    for (int i = 0; i < hrp.length(); i++) chk = step(chk, hrp.charAt(i) & 31);
    for (byte v : values) chk = step(chk, v);
    return chk;
  }

  private static int step(int chk, int value) {
    int top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ value;
    for (int i = 0; i < 5; i++) {
      if (((top >>> i) & 1) != 0) chk ^= GENERATOR[i];
    }
    return chk;
  }

  /** Regroups bits from {@code from}-bit to {@code to}-bit values (BIP-173 convertbits). */
  public static byte[] regroup(byte[] in, int from, int to, boolean pad) {
    int acc = 0, bits = 0, max = (1 << to) - 1;
    ByteArrayOutputStream out = new ByteArrayOutputStream(in.length * from / to + 1);
    for (byte b : in) {
      acc = (acc << from) | (b & 0xff);
      bits += from;
      while (bits >= to) {
        bits -= to;
        out.write((acc >>> bits) & max);
      }
      acc &= (1 << bits) - 1; // keep only the bits not yet written, so acc never overflows
    }
    if (pad) {
      if (bits > 0) out.write((acc << (to - bits)) & max);
    } else if (bits >= from || acc != 0) {
      throw new IllegalArgumentException("bech32 data has invalid padding");
    }
    return out.toByteArray();
  }
}
