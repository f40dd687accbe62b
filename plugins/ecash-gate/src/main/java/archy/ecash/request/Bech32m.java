package archy.ecash.request;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Locale;

/**
 * BIP-350 bech32m over 8-bit data, as NUT-26 uses it: no 90-character limit (a payment request is far longer),
 * input accepted in either case, output lowercase (the caller upper-cases for QR codes). The host's NIP-19 codec
 * implements the original bech32 constant, hence this separate one.
 */
final class Bech32m {
  private static final String CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
  private static final int[] GENERATOR = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3};
  private static final int BECH32M_CONST = 0x2bc830a3;
  private static final int CHECKSUM_LENGTH = 6;

  record Decoded(String hrp, byte[] data) {}

  private Bech32m() {}

  static String encode(String hrp, byte[] data) {
    byte[] values = regroup(data, 8, 5, true);
    byte[] padded = Arrays.copyOf(values, values.length + CHECKSUM_LENGTH);
    int mod = polymod(hrp, padded) ^ BECH32M_CONST;
    StringBuilder sb = new StringBuilder(hrp.length() + 1 + values.length + CHECKSUM_LENGTH);
    sb.append(hrp).append('1');
    for (byte v : values) sb.append(CHARSET.charAt(v));
    for (int i = 0; i < CHECKSUM_LENGTH; i++) sb.append(CHARSET.charAt((mod >>> (5 * (5 - i))) & 31));
    return sb.toString();
  }

  /** @throws IllegalArgumentException on mixed case, a bad character, a bad checksum or bad padding */
  static Decoded decode(String s) {
    boolean lower = false, upper = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 33 || c > 126) throw new IllegalArgumentException("bech32m string has a character out of range");
      lower |= c >= 'a' && c <= 'z';
      upper |= c >= 'A' && c <= 'Z';
    }
    if (lower && upper) throw new IllegalArgumentException("bech32m string mixes upper and lower case");
    String str = s.toLowerCase(Locale.ROOT);
    int separator = str.lastIndexOf('1');
    if (separator < 1 || str.length() - separator - 1 < CHECKSUM_LENGTH) {
      throw new IllegalArgumentException("bech32m string has no prefix or checksum");
    }
    String hrp = str.substring(0, separator);
    byte[] values = new byte[str.length() - separator - 1];
    for (int i = 0; i < values.length; i++) {
      int v = CHARSET.indexOf(str.charAt(separator + 1 + i));
      if (v < 0) throw new IllegalArgumentException("bech32m string has an invalid character");
      values[i] = (byte) v;
    }
    if (polymod(hrp, values) != BECH32M_CONST) throw new IllegalArgumentException("bad bech32m checksum");
    return new Decoded(hrp, regroup(Arrays.copyOf(values, values.length - CHECKSUM_LENGTH), 5, 8, false));
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
  private static byte[] regroup(byte[] in, int from, int to, boolean pad) {
    int acc = 0, bits = 0, max = (1 << to) - 1;
    ByteArrayOutputStream out = new ByteArrayOutputStream(in.length * from / to + 1);
    for (byte b : in) {
      acc = (acc << from) | (b & 0xff);
      bits += from;
      while (bits >= to) {
        bits -= to;
        out.write((acc >>> bits) & max);
      }
      acc &= (1 << bits) - 1;
    }
    if (pad) {
      if (bits > 0) out.write((acc << (to - bits)) & max);
    } else if (bits >= from || acc != 0) {
      throw new IllegalArgumentException("bech32m data has invalid padding");
    }
    return out.toByteArray();
  }
}
