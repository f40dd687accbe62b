package archy.film.publish;

import archy.plugin.BlobSource;
import archy.plugin.Blobs;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntConsumer;

/**
 * The steps of publishing a video that {@code archy film publish} ({@link Publisher}) and the node's backstage page
 * share: video → ffmpeg HLS ladder and poster frame, kept in a work directory → Blossom HLS blobs → stored → the
 * unsigned kind 30082. A finished transcode is kept ({@code transcoded} names the settings it was made with), so a
 * re-run of the same input, from either, does not transcode again.
 */
public final class FilmMaker {
  /** What {@code archy film publish} uses without options, and the backstage page always. */
  static final Transcoder.Settings DEFAULTS = new Transcoder.Settings(
      List.of(Transcoder.Rung.parse("360"), Transcoder.Rung.parse("720")), 6, "veryfast");
  private static final ObjectMapper JSON = new ObjectMapper();

  private FilmMaker() {}

  /**
   * A video made into a Blossom HLS film: its blobs (master first), the poster (null for none) and where the time
   * went ({@code transcodeMs} 0 when the transcode was kept from an earlier run).
   */
  public record Made(BlossomHls.Film film, BlobFile poster, long transcodeMs, long hashMs) {
    public String masterSha256() {
      return film.master().sha256();
    }

    /** The poster's Blossom path ({@code /<sha256><ext>}), or null when the film has none. */
    public String posterPath() {
      return poster == null ? null : "/" + poster.blossomName();
    }

    public int blobCount() {
      return film.blobs().size() + (poster == null ? 0 : 1);
    }

    public long sizeBytes() {
      return film.sizeBytes() + (poster == null ? 0 : poster.size());
    }

    public int durationSeconds() {
      return film.durationSeconds();
    }

    /** Children before parents: a node never holds a playlist whose children it cannot serve yet. */
    List<BlobFile> storeOrder() {
      List<BlobFile> all = new ArrayList<>(film.blobs());
      if (poster != null) all.add(poster);
      return new ArrayList<>(all.reversed());
    }
  }

  /** The input's BLAKE3 (hex): names its work directory and the end of its default {@code d}. */
  public static String inputHash(Path input) throws IOException {
    return BlobFile.of(input, "").blake3();
  }

  /** Where the transcode of an input with this hash is kept, under the publish work root. */
  public static Path workDir(Path workRoot, String inputHash, boolean encrypted) {
    return workRoot.resolve(inputHash.substring(0, 32) + (encrypted ? "-private" : ""));
  }

  /** The default settings, a public film with a poster frame (the backstage page). */
  public static Made video(Path input, Path work, PrintWriter progress, IntConsumer transcodePercent)
      throws IOException {
    return video(input, work, DEFAULTS, null, null, Transcoder.find(progress, transcodePercent), progress);
  }

  /**
   * Transcodes {@code input} into {@code work}/hls unless a transcode with the same settings (and key URL) is kept
   * there, takes a poster frame (a public film without {@code posterFile}), and rewrites to Blossom HLS.
   */
  static Made video(Path input, Path work, Transcoder.Settings settings, Transcoder.Encryption encryption,
                    Path posterFile, Transcoder t, PrintWriter progress) throws IOException {
    Files.createDirectories(work);
    Transcoder.Probe probe = t.probe(input);
    Path hls = work.resolve("hls");
    Path finished = work.resolve("transcoded");
    long transcodeMs = 0;
    // What the kept transcode was made with: other settings, or another key URL, mean a new transcode.
    String made = settings + (encryption == null ? "" : " key " + encryption.keyUri()) + "\n";
    if (Files.exists(finished) && Files.readString(finished).equals(made)) {
      progress.println("transcode: kept from an earlier run (" + hls + ")");
    } else {
      deleteTree(hls);
      Files.deleteIfExists(finished);
      long start = System.nanoTime();
      t.ladder(input, probe, settings, encryption, hls);
      transcodeMs = (System.nanoTime() - start) / 1_000_000;
      Files.writeString(finished, made);
    }
    Path frame = work.resolve("poster.jpg");
    // A poster is a public plaintext blob: a private film gets one only when the publisher chooses it (--poster),
    // never a frame of the film.
    boolean framePoster = posterFile == null && encryption == null;
    if (framePoster && !Files.exists(frame)) t.poster(input, Math.min(probe.seconds() / 3, 10), frame);
    BlobFile poster = posterFile != null ? BlobFile.of(posterFile, extension(posterFile))
        : framePoster ? BlobFile.of(frame, ".jpg") : null;
    long hashStart = System.nanoTime();
    BlossomHls.Film film = BlossomHls.rewrite(hls.resolve("master.m3u8"), work.resolve("blossom"));
    return new Made(film, poster, transcodeMs, (System.nanoTime() - hashStart) / 1_000_000);
  }

  /** What storing did: blobs and bytes written, and blobs the node already held. */
  public record Stored(int stored, long bytes, int held) {}

  /**
   * Puts every blob of the film into the node's own store (the backstage page runs in the node: no HTTP, no
   * BUD-11 token), children first, skipping what it holds; {@code owner} is recorded as the blobs' owner.
   */
  public static Stored store(Made made, Blobs blobs, String owner, IntConsumer percent)
      throws IOException, InterruptedException {
    Uploader.Target node = new Uploader.Target() {
      @Override
      public boolean has(BlobFile b) {
        return blobs.bySha256(b.sha256()).isPresent();
      }

      @Override
      public void put(BlobFile b) throws IOException {
        Blobs.StoreResult r = blobs.store(new BlobSource(b.sha256(), b.blake3(), b.contentType(), owner,
            () -> Files.newInputStream(b.file())), Long.MAX_VALUE);
        if (r instanceof Blobs.StoreResult.Refused refused) {
          throw new PublishException("the node refused " + b.blossomName() + ": " + refused.reason());
        }
      }
    };
    Uploader.Result r = new Uploader(node, new PrintWriter(java.io.Writer.nullWriter()), percent)
        .upload(made.storeOrder());
    return new Stored(r.uploaded(), r.bytesUploaded(), r.skipped());
  }

  /**
   * The unsigned kind 30082 ({@code pubkey}, {@code kind}, {@code created_at}, {@code tags}, {@code content}) for
   * a NIP-07 signer: the publisher's key never reaches the node.
   */
  public static ObjectNode template(Made made, String d, String title, String summary, List<String> genres,
                                    Long satsPerMb, String pubkey, long now) {
    FilmEventDraft.Unsigned u = new FilmEventDraft(d, title, summary, genres, satsPerMb, false, null)
        .unsigned(made.film(), made.poster(), now);
    ObjectNode out = JSON.createObjectNode().put("pubkey", pubkey).put("kind", archy.film.event.FilmEvent.KIND)
        .put("created_at", u.createdAt());
    ArrayNode tags = out.putArray("tags");
    for (List<String> tag : u.tags()) {
      ArrayNode t = tags.addArray();
      tag.forEach(t::add);
    }
    return out.put("content", u.content());
  }

  /** {@code <slug of the file's name without extension>-<12 hex of its hash>}: readable, the same for the same input. */
  public static String filmId(String fileName, String hash) {
    int dot = fileName.lastIndexOf('.');
    return slugId(dot > 0 ? fileName.substring(0, dot) : fileName, hash);
  }

  /** {@code <slug of name>-<12 hex of hash>}. */
  static String slugId(String name, String hash) {
    String slug = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-").replaceAll("^[-.]+|[-.]+$", "");
    if (slug.length() > 40) slug = slug.substring(0, 40);
    return (slug.isEmpty() ? "film" : slug) + "-" + hash.substring(0, 12);
  }

  static String extension(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot < 0 ? "" : name.substring(dot).toLowerCase(Locale.ROOT);
  }

  /** Removes a directory and everything under it (nothing when it is missing). */
  public static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (var all = Files.walk(dir)) {
      for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
    }
  }
}
