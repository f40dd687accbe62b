package archy.nostr;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * Hand-written NIP-01 serialization. A general JSON library cannot compute ids: NIP-01 escapes only
 * {@code \n \" \\ \r \t \b \f} and writes every other character verbatim, while JSON libraries escape
 * other control characters as <code>&#92;u00XX</code>. The full-event form that we send to clients must be valid
 * JSON, so there those other control characters are escaped.
 */
public final class EventJson {
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  });
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private EventJson() {}

  /** {@code [0,<pubkey>,<created_at>,<kind>,<tags>,<content>]} as NIP-01 defines it for hashing. */
  public static String canonical(String pubkey, long createdAt, int kind, List<List<String>> tags, String content) {
    StringBuilder sb = new StringBuilder(128 + content.length());
    sb.append("[0,\"").append(pubkey).append("\",").append(createdAt).append(',').append(kind).append(',');
    appendTags(sb, tags, false);
    sb.append(',');
    appendString(sb, content, false);
    sb.append(']');
    return sb.toString();
  }

  /** The event id: lowercase hex SHA-256 of the canonical serialization's UTF-8 bytes. */
  public static String computeId(String pubkey, long createdAt, int kind, List<List<String>> tags, String content) {
    byte[] bytes = canonical(pubkey, createdAt, kind, tags, content).getBytes(StandardCharsets.UTF_8);
    return Hex.encode(SHA256.get().digest(bytes));
  }

  /** The whole event as compact, valid JSON, in NIP-01 field order. */
  public static String toJson(String id, String pubkey, long createdAt, int kind, List<List<String>> tags,
                              String content, String sig) {
    StringBuilder sb = new StringBuilder(256 + content.length());
    sb.append("{\"id\":\"").append(id)
        .append("\",\"pubkey\":\"").append(pubkey)
        .append("\",\"created_at\":").append(createdAt)
        .append(",\"kind\":").append(kind)
        .append(",\"tags\":");
    appendTags(sb, tags, true);
    sb.append(",\"content\":");
    appendString(sb, content, true);
    sb.append(",\"sig\":\"").append(sig).append("\"}");
    return sb.toString();
  }

  /** A JSON string literal, for building protocol messages around stored event JSON. */
  public static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2);
    appendString(sb, s, true);
    return sb.toString();
  }

  private static void appendTags(StringBuilder sb, List<List<String>> tags, boolean validJson) {
    sb.append('[');
    for (int i = 0; i < tags.size(); i++) {
      if (i > 0) sb.append(',');
      List<String> tag = tags.get(i);
      sb.append('[');
      for (int j = 0; j < tag.size(); j++) {
        if (j > 0) sb.append(',');
        appendString(sb, tag.get(j), validJson);
      }
      sb.append(']');
    }
    sb.append(']');
  }

  static void appendString(StringBuilder sb, String s, boolean validJson) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        default -> {
          if (c < 0x20 && validJson) {
            sb.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
