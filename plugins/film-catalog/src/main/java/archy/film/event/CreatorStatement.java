package archy.film.event;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * The text a film's creator signs (PROTOCOLS.md §2.3): lines joined with {@code \n}, no trailing newline,
 * hashes exactly as the content spells them ({@code blake3:<hex>}). The signature covers its SHA-256.
 */
public final class CreatorStatement {
  private CreatorStatement() {}

  public static String text(String d, String title, long durationSeconds, String poster, String playlist,
                            List<String> segments) {
    StringBuilder text = new StringBuilder("archy-film/v1\n").append(d).append('\n').append(title).append('\n')
        .append(durationSeconds).append('\n').append(poster == null ? "" : poster).append('\n').append(playlist);
    for (String segment : segments) text.append('\n').append(segment);
    return text.toString();
  }

  /** The 32 bytes the Ed25519 signature is over. */
  public static byte[] digest(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
