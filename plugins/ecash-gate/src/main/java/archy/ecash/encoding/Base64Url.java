package archy.ecash.encoding;

import java.util.Base64;

/**
 * The {@code base64_urlsafe} of NUT-00 and NUT-18. Decoders must accept input with or without {@code =} padding;
 * some wallets also emit the standard alphabet ({@code +/}), which is accepted too. Encoding omits padding.
 */
public final class Base64Url {
  private Base64Url() {}

  public static String encode(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** @throws IllegalArgumentException when {@code text} is not base64 */
  public static byte[] decode(String text) {
    int end = text.length();
    while (end > 0 && text.charAt(end - 1) == '=') end--;
    return Base64.getUrlDecoder().decode(text.substring(0, end).replace('+', '-').replace('/', '_'));
  }
}
