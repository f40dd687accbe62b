package archy.film.hls;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HLS playlist in Blossom's "HLS video formatting" (PROTOCOLS.md §1): every child (variant playlist,
 * rendition, segment, key, init segment) is its own blob, named relatively by its sha256 ({@code <sha256>.ts},
 * {@code <sha256>.m3u8}). Parsing only learns the children; the bytes are served as stored.
 *
 * <p>A child named any other way (a plain file name, a query string) makes the playlist malformed: the film's
 * blob set could not be known from it. A URL whose last path segment is {@code <sha256>[.ext]} is accepted, since
 * Blossom clients address blobs by that segment whatever the host.
 */
public record HlsPlaylist(boolean master, List<Child> children) {
  /** Playlists larger than this are refused before parsing (a 10-hour film with 2 s segments is ~2 MB). */
  public static final int MAX_BYTES = 4 << 20;

  public enum Role {
    /** A variant or rendition playlist (EXT-X-STREAM-INF, EXT-X-MEDIA, EXT-X-I-FRAME-STREAM-INF). */
    PLAYLIST,
    SEGMENT,
    KEY,
    /** An EXT-X-MAP initialization section (fMP4). */
    INIT
  }

  /** One child blob, by sha256; {@code extension} is what follows the hash (".ts", ".m3u8", or ""). */
  public record Child(String sha256, String extension, Role role) {}

  private static final Pattern URI_ATTRIBUTE = Pattern.compile("(?:^|,)URI=\"([^\"]*)\"");
  private static final Pattern BLOB_NAME = Pattern.compile("(?:.*/)?([0-9a-f]{64})(\\.[A-Za-z0-9]{1,8})?");

  /**
   * @throws MalformedPlaylistException naming the line that is wrong
   */
  public static HlsPlaylist parse(byte[] bytes) throws MalformedPlaylistException {
    if (bytes.length > MAX_BYTES) {
      throw new MalformedPlaylistException("playlist is " + bytes.length + " bytes, over the " + MAX_BYTES + " limit");
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new MalformedPlaylistException("playlist is not UTF-8 text");
    }
    if (text.startsWith("\uFEFF")) text = text.substring(1);
    String[] lines = text.split("\r?\n", -1);
    if (!lines[0].strip().equals("#EXTM3U")) throw new MalformedPlaylistException("playlist does not start with #EXTM3U");
    boolean master = false;
    boolean expectVariantUri = false;
    // A child may appear twice (the same key for many segments): keep it once, with its first role.
    Map<String, Child> children = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty()) continue;
      int number = i + 1;
      if (line.startsWith("#")) {
        String tag = line.toUpperCase(Locale.ROOT);
        if (tag.startsWith("#EXT-X-STREAM-INF")) {
          master = true;
          expectVariantUri = true;
        } else if (tag.startsWith("#EXT-X-MEDIA:") || tag.startsWith("#EXT-X-I-FRAME-STREAM-INF:")) {
          master = true;
          String uri = uriAttribute(line);
          if (uri != null) add(children, uri, Role.PLAYLIST, number);
        } else if (tag.startsWith("#EXT-X-KEY:") || tag.startsWith("#EXT-X-SESSION-KEY:")) {
          // METHOD=NONE has no URI; a key URI that is not a blob (skd://, data:, or a private film's key server
          // such as /api/film-key?a=…, never named by a sha256) is not ours to fetch.
          String uri = uriAttribute(line);
          if (uri != null && (!uri.contains(":") || uri.startsWith("http") && BLOB_NAME.matcher(uri).matches())) {
            add(children, uri, Role.KEY, number);
          }
        } else if (tag.startsWith("#EXT-X-MAP:")) {
          String uri = uriAttribute(line);
          if (uri != null) add(children, uri, Role.INIT, number);
        }
        continue;
      }
      add(children, line, expectVariantUri ? Role.PLAYLIST : Role.SEGMENT, number);
      expectVariantUri = false;
    }
    if (expectVariantUri) throw new MalformedPlaylistException("#EXT-X-STREAM-INF at the end has no URI line");
    return new HlsPlaylist(master, List.copyOf(children.values()));
  }

  /** The tag's URI attribute, or null. */
  private static String uriAttribute(String line) {
    Matcher m = URI_ATTRIBUTE.matcher(line.substring(line.indexOf(':') + 1));
    return m.find() ? m.group(1) : null;
  }

  private static void add(Map<String, Child> children, String uri, Role role, int line)
      throws MalformedPlaylistException {
    Matcher m = BLOB_NAME.matcher(uri);
    if (!m.matches()) {
      throw new MalformedPlaylistException("line " + line + ": child '" + abbreviate(uri)
          + "' is not named by its sha256 (Blossom HLS formatting)");
    }
    String sha256 = m.group(1);
    String extension = m.group(2) == null ? "" : m.group(2).toLowerCase(Locale.ROOT);
    // A playlist child named .m3u8 is a playlist wherever it appears (e.g. a variant listed without STREAM-INF).
    Role effective = extension.equals(".m3u8") ? Role.PLAYLIST : role;
    children.putIfAbsent(sha256, new Child(sha256, extension, effective));
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }

  /** The children of one role, in playlist order. */
  public List<Child> children(Role role) {
    List<Child> out = new ArrayList<>();
    for (Child c : children) {
      if (c.role() == role) out.add(c);
    }
    return out;
  }

  /** The playlist could not be read as a Blossom-formatted HLS playlist; the message says why. */
  public static final class MalformedPlaylistException extends Exception {
    public MalformedPlaylistException(String message) {
      super(message);
    }
  }
}
