package archy.film.publish;

import archy.film.hls.HlsPlaylist;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Rewrites an HLS folder to Blossom's HLS formatting (PROTOCOLS.md §1), bottom-up: every child a playlist names
 * (URI lines and {@code URI="…"} attributes: variants, segments, keys, init sections) becomes {@code <sha256><ext>},
 * relative, so a playlist's hash covers its children's. Media files stay where they are (they are uploaded from
 * there); rewritten playlists (every other line kept as it was) are written into {@code staging} as
 * {@code <sha256>.m3u8}. A folder already in Blossom formatting comes out unchanged. Each result is checked with the catalog's own {@link HlsPlaylist} parser,
 * so what is published is what nodes will read.
 */
final class BlossomHls {
  /** The film's blobs: the master first, then per variant its playlist and segments, in play order. */
  record Film(BlobFile master, List<BlobFile> blobs, int durationSeconds) {
    long sizeBytes() {
      return blobs.stream().mapToLong(BlobFile::size).sum();
    }
  }

  private static final Pattern URI_ATTRIBUTE = Pattern.compile("URI=\"([^\"]*)\"");
  private static final Pattern EXTINF = Pattern.compile("#EXTINF:([0-9.]+)");

  private final Path staging;
  private final Map<Path, BlobFile> done = new HashMap<>();
  private final Map<String, BlobFile> blobs = new LinkedHashMap<>();
  private double longest;

  private BlossomHls(Path staging) {
    this.staging = staging;
  }

  /** Rewrites the playlist tree under {@code master}. */
  static Film rewrite(Path master, Path staging) throws IOException {
    Files.createDirectories(staging);
    BlossomHls r = new BlossomHls(staging);
    BlobFile root = r.playlist(master.toAbsolutePath().normalize(), 0);
    List<BlobFile> all = new ArrayList<>(r.blobs.values());
    all.remove(root);
    all.addFirst(root);
    int seconds = (int) Math.ceil(r.longest);
    if (seconds <= 0) throw new PublishException(master + ": no #EXTINF durations; is it an HLS playlist?");
    return new Film(root, all, seconds);
  }

  /** The one playlist of an HLS folder that no other playlist names (its master, or its only media playlist). */
  static Path rootPlaylist(Path folder) throws IOException {
    List<Path> playlists;
    try (Stream<Path> files = Files.walk(folder)) {
      playlists = files.filter(p -> p.toString().toLowerCase(Locale.ROOT).endsWith(".m3u8")).sorted().toList();
    }
    Set<Path> named = new HashSet<>();
    for (Path p : playlists) {
      for (String uri : uris(Files.readAllLines(p, StandardCharsets.UTF_8))) {
        if (!uri.contains(":")) named.add(p.getParent().resolve(uri).normalize());
      }
    }
    List<Path> roots = playlists.stream().filter(p -> !named.contains(p.normalize())).toList();
    if (roots.size() != 1) {
      throw new PublishException(folder + ": expected one top playlist (.m3u8 no other playlist names), found "
          + roots.size() + (roots.isEmpty() ? "" : ": " + roots));
    }
    return roots.getFirst();
  }

  private BlobFile playlist(Path file, int depth) throws IOException {
    BlobFile known = done.get(file);
    if (known != null) return known;
    if (depth > 3) throw new PublishException(file + ": playlists nest deeper than 3 levels");
    if (!Files.isRegularFile(file)) throw new PublishException("a playlist names " + file + ", which is missing");
    List<String> out = new ArrayList<>();
    double seconds = 0;
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String t = line.strip();
      Matcher inf = EXTINF.matcher(t);
      if (inf.lookingAt()) seconds += Double.parseDouble(inf.group(1));
      if (t.isEmpty()) {
        out.add(line);
      } else if (!t.startsWith("#")) {
        out.add(child(file, t, depth).blossomName());
      } else if (t.contains("URI=\"")) {
        Matcher m = URI_ATTRIBUTE.matcher(t);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
          String uri = m.group(1);
          // Keys outside the folder (skd:, data:, a private film's key server URL) are not blobs; keep them.
          String name = uri.contains(":") ? uri : child(file, uri, depth).blossomName();
          m.appendReplacement(b, Matcher.quoteReplacement("URI=\"" + name + "\""));
        }
        m.appendTail(b);
        out.add(b.toString());
      } else {
        out.add(line);
      }
    }
    longest = Math.max(longest, seconds);
    byte[] bytes = (String.join("\n", out) + "\n").getBytes(StandardCharsets.UTF_8);
    try {
      HlsPlaylist.parse(bytes);
    } catch (HlsPlaylist.MalformedPlaylistException e) {
      throw new PublishException(file + " rewritten is not a valid Blossom HLS playlist: " + e.getMessage());
    }
    Path tmp = Files.createTempFile(staging, "playlist-", ".tmp");
    Files.write(tmp, bytes);
    BlobFile blob = BlobFile.of(tmp, ".m3u8");
    Path named = staging.resolve(blob.blossomName());
    Files.move(tmp, named, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    blob = new BlobFile(named, blob.sha256(), blob.blake3(), blob.size(), blob.extension(), blob.contentType());
    done.put(file, blob);
    blobs.putIfAbsent(blob.sha256(), blob);
    return blob;
  }

  private BlobFile child(Path parent, String uri, int depth) throws IOException {
    if (uri.contains("://") || uri.startsWith("/") || uri.contains("?")) {
      throw new PublishException(parent + " names '" + uri + "': only files in the folder, by relative path, "
          + "can be published");
    }
    Path file = parent.getParent().resolve(uri).normalize();
    String ext = extension(uri);
    if (ext.equals(".m3u8")) return playlist(file, depth + 1);
    BlobFile known = done.get(file);
    if (known != null) return known;
    if (!Files.isRegularFile(file)) throw new PublishException(parent + " names " + uri + ", which is missing");
    BlobFile blob = BlobFile.of(file, ext);
    done.put(file, blob);
    blobs.putIfAbsent(blob.sha256(), blob);
    return blob;
  }

  private static String extension(String uri) {
    String name = uri.substring(uri.lastIndexOf('/') + 1);
    int dot = name.lastIndexOf('.');
    return dot < 0 ? "" : name.substring(dot).toLowerCase(Locale.ROOT);
  }

  private static List<String> uris(List<String> lines) {
    List<String> out = new ArrayList<>();
    for (String line : lines) {
      String t = line.strip();
      if (t.isEmpty()) continue;
      if (!t.startsWith("#")) out.add(t);
      Matcher m = URI_ATTRIBUTE.matcher(t);
      while (m.find()) out.add(m.group(1));
    }
    return out;
  }
}
