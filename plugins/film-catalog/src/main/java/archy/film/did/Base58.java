package archy.film.did;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Base58 with the Bitcoin alphabet ("base58btc", multibase prefix {@code z}). Keys are 34 bytes, so the
 * schoolbook O(n²) conversion is cheaper than any BigInteger round trip.
 */
public final class Base58 {
  private static final char[] ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".toCharArray();
  private static final int[] INDEX = new int[128];

  static {
    Arrays.fill(INDEX, -1);
    for (int i = 0; i < ALPHABET.length; i++) INDEX[ALPHABET[i]] = i;
  }

  private Base58() {}

  public static String encode(byte[] input) {
    int zeros = 0;
    while (zeros < input.length && input[zeros] == 0) zeros++;
    byte[] digits = new byte[input.length * 138 / 100 + 1]; // log(256) / log(58) ≈ 1.37
    int length = 0;
    for (int i = zeros; i < input.length; i++) {
      int carry = input[i] & 0xff;
      for (int j = 0; j < length; j++) {
        carry += (digits[j] & 0xff) << 8;
        digits[j] = (byte) (carry % 58);
        carry /= 58;
      }
      while (carry > 0) {
        digits[length++] = (byte) (carry % 58);
        carry /= 58;
      }
    }
    StringBuilder out = new StringBuilder(zeros + length);
    out.append("1".repeat(zeros));
    for (int i = length - 1; i >= 0; i--) out.append(ALPHABET[digits[i]]);
    return out.toString();
  }

  /** @throws IllegalArgumentException for a character outside the alphabet */
  public static byte[] decode(String input) {
    int zeros = 0;
    while (zeros < input.length() && input.charAt(zeros) == '1') zeros++;
    byte[] bytes = new byte[input.length()];
    int length = 0;
    for (int i = zeros; i < input.length(); i++) {
      char c = input.charAt(i);
      int carry = c < 128 ? INDEX[c] : -1;
      if (carry < 0) throw new IllegalArgumentException("'" + c + "' is not a base58 character");
      for (int j = 0; j < length; j++) {
        carry += (bytes[j] & 0xff) * 58;
        bytes[j] = (byte) carry;
        carry >>>= 8;
      }
      while (carry > 0) {
        bytes[length++] = (byte) carry;
        carry >>>= 8;
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(zeros + length);
    out.writeBytes(new byte[zeros]);
    for (int i = length - 1; i >= 0; i--) out.write(bytes[i]);
    return out.toByteArray();
  }
}
