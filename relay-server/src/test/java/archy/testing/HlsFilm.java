package archy.testing;

import archy.hash.Blake3;
import archy.nostr.Event;
import archy.nostr.EventSigner;
import archy.nostr.Keys;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A real HLS film for end-to-end tests: ffmpeg-made video and sound ({@code testsrc} + a sine tone), a ladder
 * of two renditions (240p and 360p, MPEG-TS segments), and a master playlist, with every playlist rewritten
 * to Blossom's HLS formatting (children named {@code <sha256>.m3u8} / {@code <sha256>.ts}, relative) so the
 * master plays from {@code /<master sha256>.m3u8} on any node holding all the blobs (PROTOCOLS.md §1).
 *
 * <p>ffmpeg runs once per {@link Spec} per JVM ({@link #of(Spec)} caches). The same spec gives the same bytes
 * on one machine (ffmpeg here is deterministic), so two films that must not share blobs need different specs
 * (another {@code toneHz}). Without ffmpeg the test is skipped, except in CI, where it fails.
 */
public final class HlsFilm {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<Spec, HlsFilm> MADE = new HashMap<>();

  /** What to make: {@code durationSeconds} of video cut into segments of {@code segmentSeconds}. */
  public record Spec(int durationSeconds, int segmentSeconds, int toneHz) {
    /** 12 s in 3 s segments: four segments per rendition, eleven blobs in all. */
    public static final Spec DEFAULT = new Spec(12, 3, 440);

    public Spec {
      if (durationSeconds < 1 || segmentSeconds < 1 || segmentSeconds > durationSeconds) {
        throw new IllegalArgumentException("bad spec " + durationSeconds + " s / " + segmentSeconds + " s");
      }
      if (toneHz < 20 || toneHz > 20000) throw new IllegalArgumentException("toneHz out of range: " + toneHz);
    }

    public Spec withTone(int hz) {
      return new Spec(durationSeconds, segmentSeconds, hz);
    }
  }

  public enum Role { MASTER, VARIANT, SEGMENT }

  /** One blob of the film: its exact bytes and both of its addresses. */
  public record Blob(Role role, byte[] bytes, String sha256, String blake3, String contentType) {
    static Blob of(Role role, byte[] bytes) {
      String type = role == Role.SEGMENT ? "video/mp2t" : "application/vnd.apple.mpegurl";
      return new Blob(role, bytes, BlossomCalls.sha256(bytes), Blake3.hex(bytes), type);
    }

    /** The name playlists use for it: {@code <sha256>.ts} or {@code <sha256>.m3u8}. */
    public String blossomName() {
      return sha256 + (role == Role.SEGMENT ? ".ts" : ".m3u8");
    }

    /** Its Blossom path on a node: {@code /<sha256>.ext}. */
    public String path() {
      return "/" + blossomName();
    }

    /** How film events name it: {@code blake3:<hex>}. */
    public String blake3Ref() {
      return "blake3:" + blake3;
    }

    public int size() {
      return bytes.length;
    }
  }

  /** One rung of the ladder: its variant playlist and its media segments in play order. */
  public record Rendition(String name, int height, Blob playlist, List<Blob> segments) {}

  /** What a 30082's {@code segments} lists (PROTOCOLS.md §2.1: optional, the playlists are authoritative). */
  public enum Listing {
    /** Every blob but the master: each rendition's variant playlist followed by its segments. */
    ALL_BLOBS,
    /** The media segments only, rendition by rendition, no variant playlists. */
    MEDIA_SEGMENTS,
    /** No {@code segments} field at all. */
    OMITTED
  }

  private final Spec spec;
  private final Blob master;
  private final List<Rendition> renditions;
  private final Path folder;

  HlsFilm(Spec spec, Blob master, List<Rendition> renditions, Path folder) {
    this.spec = spec;
    this.master = master;
    this.renditions = List.copyOf(renditions);
    this.folder = folder;
  }

  /** The default film ({@link Spec#DEFAULT}). */
  public static HlsFilm standard() {
    return of(Spec.DEFAULT);
  }

  /** The film for {@code spec}, made by ffmpeg on first use in this JVM. */
  public static synchronized HlsFilm of(Spec spec) {
    HlsFilm film = MADE.get(spec);
    if (film == null) {
      film = HlsLadder.make(spec);
      MADE.put(spec, film);
    }
    return film;
  }

  public Spec spec() {
    return spec;
  }

  /**
   * A directory holding every blob as {@code <sha256>.m3u8} / {@code <sha256>.ts}: the film as a Blossom HLS
   * folder (ffmpeg's original output is in its {@code ffmpeg} subdirectory). Deleted when the JVM exits.
   */
  public Path folder() {
    return folder;
  }

  public Blob master() {
    return master;
  }

  public String masterSha256() {
    return master.sha256();
  }

  /** The URL a player opens on a node: {@code <base>/<master sha256>.m3u8}. */
  public String masterUrl(String base) {
    return base + master.path();
  }

  public List<Rendition> renditions() {
    return renditions;
  }

  public List<Blob> variants() {
    return renditions.stream().map(Rendition::playlist).toList();
  }

  /** Every media segment, rendition by rendition. */
  public List<Blob> segments() {
    return renditions.stream().flatMap(r -> r.segments().stream()).toList();
  }

  /** Every blob: the master, then each rendition's variant playlist followed by its segments. */
  public List<Blob> blobs() {
    List<Blob> all = new ArrayList<>();
    all.add(master);
    all.addAll(listed(Listing.ALL_BLOBS));
    return all;
  }

  public Optional<Blob> blob(String sha256) {
    return blobs().stream().filter(b -> b.sha256().equals(sha256)).findFirst();
  }

  public int durationSeconds() {
    return spec.durationSeconds();
  }

  public long sizeBytes() {
    return blobs().stream().mapToLong(Blob::size).sum();
  }

  /** Uploads every blob (segments, then variants, then the master, as the Blossom note orders it). */
  public void upload(BlossomCalls node, Keys uploader) throws Exception {
    upload(node, uploader, b -> true);
  }

  /** Uploads the blobs {@code include} accepts, in the same order; fails on any answer but 200/201. */
  public void upload(BlossomCalls node, Keys uploader, Predicate<Blob> include) throws Exception {
    List<Blob> order = new ArrayList<>(segments());
    order.addAll(variants());
    order.add(master);
    for (Blob b : order) {
      if (!include.test(b)) continue;
      HttpResponse<String> r = node.upload(uploader, b.bytes(), b.contentType());
      if (r.statusCode() != 200 && r.statusCode() != 201) {
        throw new AssertionError("upload of " + b.role() + " " + b.sha256() + " answered " + r.statusCode() + " "
            + r.headers().firstValue("X-Reason").orElse("") + " " + r.body());
      }
    }
  }

  /** The {@code segments} refs ({@code blake3:<hex>}) for {@code listing}; empty for {@link Listing#OMITTED}. */
  public List<String> segmentRefs(Listing listing) {
    return listed(listing).stream().map(Blob::blake3Ref).toList();
  }

  private List<Blob> listed(Listing listing) {
    List<Blob> out = new ArrayList<>();
    if (listing == Listing.OMITTED) return out;
    for (Rendition r : renditions) {
      if (listing == Listing.ALL_BLOBS) out.add(r.playlist());
      out.addAll(r.segments());
    }
    return out;
  }

  /** A 30082 {@code content} (PROTOCOLS.md §2.1) for this film; {@code satsPerMb} null means free. */
  public ObjectNode content(String title, Listing listing, Long satsPerMb) {
    ObjectNode content = JSON.createObjectNode();
    content.put("title", title);
    content.put("summary", "An ffmpeg test pattern with a " + spec.toneHz() + " Hz tone.");
    content.put("duration_s", spec.durationSeconds());
    content.put("playlist", master.blake3Ref());
    if (listing != Listing.OMITTED) segmentRefs(listing).forEach(content.putArray("segments")::add);
    content.put("size_bytes", sizeBytes());
    if (satsPerMb != null) {
      content.putObject("monetized").put("service", "content-download").put("sats_per_mb", satsPerMb);
    }
    return content;
  }

  /** A signed 30082 for this film: d, title, x (the master's sha256), and the price tag when monetized. */
  public Event event(Keys publisher, String d, Listing listing, Long satsPerMb) {
    String title = "Film " + d;
    List<List<String>> tags = new ArrayList<>();
    tags.add(List.of("d", d));
    tags.add(List.of("title", title));
    tags.add(List.of("x", master.sha256()));
    if (satsPerMb != null) tags.add(List.of("price", Long.toString(satsPerMb), "sat"));
    return EventSigner.sign(publisher, BlossomCalls.now(), 30082, tags, content(title, listing, satsPerMb).toString());
  }

  /** A free film's event listing every blob. */
  public Event event(Keys publisher, String d) {
    return event(publisher, d, Listing.ALL_BLOBS, null);
  }
}
