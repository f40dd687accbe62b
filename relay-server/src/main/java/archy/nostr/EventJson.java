package archy.nostr;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * Hand-written NIP-01 serialization, byte for byte what the ecosystem hashes: nostr-tools (JSON.stringify),
 * go-nostr and strfry escape {@code " \\ \b \t \n \f \r} by name, every other control character as
 * <code>&#92;u00xx</code> (lowercase hex), a lone surrogate as <code>&#92;udxxx</code>, and write everything else
 * verbatim (DEL, U+2028, non-ASCII). A general JSON library differs in the details (uppercase hex,
 * escaped {@code /} or non-ASCII), so ids are never computed with one. The vectors in the tests come from
 * nostr-tools.
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
    appendTags(sb, tags);
    sb.append(',');
    appendString(sb, content);
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
    appendTags(sb, tags);
    sb.append(",\"content\":");
    appendString(sb, content);
    sb.append(",\"sig\":\"").append(sig).append("\"}");
    return sb.toString();
  }

  /** A JSON string literal, for building protocol messages around stored event JSON. */
  public static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2);
    appendString(sb, s);
    return sb.toString();
  }

  private static void appendTags(StringBuilder sb, List<List<String>> tags) {
    sb.append('[');
    for (int i = 0; i < tags.size(); i++) {
      if (i > 0) sb.append(',');
      List<String> tag = tags.get(i);
      sb.append('[');
      for (int j = 0; j < tag.size(); j++) {
        if (j > 0) sb.append(',');
        appendString(sb, tag.get(j));
      }
      sb.append(']');
    }
    sb.append(']');
  }

  static void appendString(StringBuilder sb, String s) {
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
          if (c < 0x20 || (Character.isSurrogate(c) && !pairedAt(s, i))) {
            sb.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xf]).append(HEX[(c >> 4) & 0xf])
                .append(HEX[c & 0xf]);
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  /** Whether the surrogate at {@code i} is half of a valid pair (JSON.stringify escapes lone ones). */
  private static boolean pairedAt(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
  }
}
