package archy.blossom;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * MIME types of blobs: what an uploader announced, what the bytes say when it announced nothing useful,
 * and the file extension a descriptor URL carries (BUD-02 wants one).
 */
final class MediaTypes {
  static final String OCTET_STREAM = "application/octet-stream";
  static final String HLS_PLAYLIST = "application/vnd.apple.mpegurl";
  static final String MPEG_TS = "video/mp2t";
  private static final Pattern TYPE = Pattern.compile("[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*");
  private static final int TS_PACKET = 188;
  private static final Map<String, String> EXTENSIONS = Map.ofEntries(
      Map.entry(HLS_PLAYLIST, "m3u8"), Map.entry("application/x-mpegurl", "m3u8"), Map.entry("audio/mpegurl", "m3u8"),
      Map.entry(MPEG_TS, "ts"), Map.entry("video/iso.segment", "m4s"), Map.entry("video/mp4", "mp4"),
      Map.entry("video/webm", "webm"), Map.entry("video/quicktime", "mov"), Map.entry("audio/mpeg", "mp3"),
      Map.entry("audio/mp4", "m4a"), Map.entry("audio/ogg", "ogg"), Map.entry("image/png", "png"),
      Map.entry("image/jpeg", "jpg"), Map.entry("image/gif", "gif"), Map.entry("image/webp", "webp"),
      Map.entry("image/avif", "avif"), Map.entry("image/svg+xml", "svg"), Map.entry("text/plain", "txt"),
      Map.entry("text/html", "html"), Map.entry("text/vtt", "vtt"), Map.entry("application/json", "json"),
      Map.entry("application/pdf", "pdf"), Map.entry("application/zip", "zip"));

  private MediaTypes() {}

  /** The bare, lowercase type of a {@code Content-Type} value; octet-stream when absent or malformed. */
  static String normalize(String contentType) {
    if (contentType == null) return OCTET_STREAM;
    int semicolon = contentType.indexOf(';');
    String bare = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    return TYPE.matcher(bare).matches() ? bare : OCTET_STREAM;
  }

  /**
   * The stored type: the announced one, unless it says nothing (octet-stream) and the first bytes are an
   * HLS playlist or an MPEG transport stream. ffmpeg's output often arrives without a type, and players
   * need the right one, because Blossom serves the stored type whatever the URL's extension.
   */
  static String sniff(String announced, byte[] head) {
    if (!announced.equals(OCTET_STREAM)) return announced;
    if (isPlaylist(head)) return HLS_PLAYLIST;
    if (isTransportStream(head)) return MPEG_TS;
    return OCTET_STREAM;
  }

  private static boolean isPlaylist(byte[] head) {
    int start = head.length >= 3 && (head[0] & 0xff) == 0xef && (head[1] & 0xff) == 0xbb && (head[2] & 0xff) == 0xbf
        ? 3 : 0;
    byte[] magic = "#EXTM3U".getBytes(StandardCharsets.US_ASCII);
    if (head.length - start < magic.length) return false;
    for (int i = 0; i < magic.length; i++) {
      if (head[start + i] != magic[i]) return false;
    }
    return true;
  }

  /** A sync byte 0x47 at the start of every 188-byte packet we can see (at least two packets). */
  private static boolean isTransportStream(byte[] head) {
    if (head.length < 2 * TS_PACKET) return false;
    for (int i = 0; i < head.length; i += TS_PACKET) {
      if (head[i] != 0x47) return false;
    }
    return true;
  }

  /** The extension for descriptor URLs, {@code bin} when the type has no usual one. */
  static String extension(String type) {
    return EXTENSIONS.getOrDefault(type, "bin");
  }

  /** The type a URL's extension suggests (for mirrors whose origin sends no Content-Type), or octet-stream. */
  static String fromExtension(String path) {
    int dot = path.lastIndexOf('.');
    if (dot < 0 || dot < path.lastIndexOf('/')) return OCTET_STREAM;
    String ext = path.substring(dot + 1).toLowerCase(Locale.ROOT);
    for (Map.Entry<String, String> e : EXTENSIONS.entrySet()) {
      if (e.getValue().equals(ext) && !e.getKey().startsWith("application/x-") && !e.getKey().startsWith("audio/mpegurl")) {
        return e.getKey();
      }
    }
    return OCTET_STREAM;
  }

  /** Whether {@code type} matches one of the patterns ({@code image/png}, {@code video/*}, {@code *}); none = any. */
  static boolean allowed(String type, List<String> patterns) {
    if (patterns.isEmpty()) return true;
    for (String p : patterns) {
      if (p.equals("*") || p.equals("*/*") || p.equals(type)) return true;
      if (p.endsWith("/*") && type.startsWith(p.substring(0, p.length() - 1))) return true;
    }
    return false;
  }
}
