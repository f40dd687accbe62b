package archy.film.publish;

import archy.film.did.CreatorKey;
import archy.film.key.FilmKeyRoute;
import archy.nostr.Event;
import archy.nostr.Keys;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * {@code archy film publish}: video file or HLS folder → Blossom HLS blobs on the node → signed 30082 on its relay.
 *
 * <p>Resumable by construction: a video's transcode lives in a work directory named by the input's BLAKE3
 * ({@code <data_dir>/plugins/film-catalog/publish/<hash>/}) and is kept once ffmpeg finished, so a re-run does not
 * transcode again and hashes to the same blobs; uploads skip what the node holds; and the film's {@code d} comes
 * from the input's name and hash, so a re-run publishes the same film (a newer version of the same address).
 */
final class Publisher {
  /** What was published, and where the time went. */
  record Result(Event event, String d, String masterSha256, int blobs, Uploader.Result upload, Timings timings) {}

  /**
   * Wall times in milliseconds: ffmpeg (0 when kept from an earlier run or an HLS folder), rewriting and hashing
   * every blob, and uploading (HEADs included); {@code bytes} is the film's total size.
   */
  record Timings(long transcodeMs, long hashMs, long uploadMs, long bytes) {
    String describe() {
      return "time: transcode %.1f s, rewrite and hash %.1f s (%s), upload %.1f s (%s)".formatted(transcodeMs / 1e3,
          hashMs / 1e3, rate(hashMs), uploadMs / 1e3, rate(uploadMs));
    }

    private String rate(long ms) {
      return ms == 0 ? "-" : "%.0f MB/s".formatted(bytes / 1e3 / ms);
    }
  }

  /** What the user asked for; {@code d} null means derived from the input. */
  record Request(Path input, String d, String title, String summary, List<String> genres, Long satsPerMb,
                 Path poster, Transcoder.Settings settings, boolean encrypted, CreatorKey creator) {
    Request(Path input, String d, String title, String summary, List<String> genres, Long satsPerMb, Path poster,
            Transcoder.Settings settings) {
      this(input, d, title, summary, genres, satsPerMb, poster, settings, false, null);
    }
  }

  private final HttpClient http;
  private final URI node;
  private final Keys keys;
  private final Path workRoot;
  private final Clock clock;
  private final PrintWriter progress;

  Publisher(HttpClient http, URI node, Keys keys, Path workRoot, Clock clock, PrintWriter progress) {
    this.http = http;
    this.node = node;
    this.keys = keys;
    this.workRoot = workRoot;
    this.clock = clock;
    this.progress = progress;
  }

  Result publish(Request r) throws Exception {
    Path input = r.input().toAbsolutePath().normalize();
    if (!Files.exists(input)) throw new PublishException(input + " does not exist");
    FilmMaker.Made made;
    String inputHash;
    Path key = null;
    String d = r.d();
    if (Files.isDirectory(input)) {
      if (r.encrypted()) throw new PublishException("--private needs a video file (the segments are encrypted as "
          + "they are made); an HLS folder is published as it is");
      long hashStart = System.nanoTime();
      Path staging = Files.createTempDirectory("archy-film-publish-");
      BlossomHls.Film film = BlossomHls.rewrite(BlossomHls.rootPlaylist(input), staging);
      inputHash = film.master().sha256();
      BlobFile poster = r.poster() != null ? BlobFile.of(r.poster(), FilmMaker.extension(r.poster())) : null;
      made = new FilmMaker.Made(film, poster, 0, (System.nanoTime() - hashStart) / 1_000_000);
    } else {
      progress.println("hashing " + input);
      inputHash = FilmMaker.inputHash(input);
      if (d == null) d = filmId(input, inputHash);
      Path work = FilmMaker.workDir(workRoot, inputHash, r.encrypted());
      Files.createDirectories(work);
      Transcoder.Encryption encryption = null;
      if (r.encrypted()) {
        encryption = new Transcoder.Encryption(FilmKeyRoute.keyUrl(node, keys.publicKeyHex(), d),
            KeyClient.keepKey(work.resolve("film.key")));
      }
      made = FilmMaker.video(input, work, r.settings(), encryption, r.poster(), Transcoder.find(progress), progress);
      key = encryption == null ? null : encryption.keyFile();
    }
    if (d == null) d = filmId(input, inputHash);
    BlossomHls.Film film = made.film();
    progress.println("film " + d + ": " + film.blobs().size() + " blobs, " + film.sizeBytes() + " bytes, "
        + film.durationSeconds() + " s; master " + film.master().sha256());

    long uploadStart = System.nanoTime();
    Uploader.Result up = new Uploader(http, node, keys, clock, progress).upload(made.storeOrder());
    long uploadMs = (System.nanoTime() - uploadStart) / 1_000_000;
    progress.println("uploaded " + up.uploaded() + " blobs (" + up.bytesUploaded() + " bytes), " + up.skipped()
        + " already on " + node);

    if (key != null) {
      // The key goes to the publishing node's key server (never a blob) before the film exists.
      new KeyClient(http, node, keys, clock).putKey(d, Files.readAllBytes(key));
      progress.println("key: stored on " + node + " (viewers need ./archy film grant " + d + " <npub>)");
    }
    Event event = new FilmEventDraft(d, r.title(), r.summary(), r.genres(), r.satsPerMb(), r.encrypted(), r.creator())
        .sign(keys, film, made.poster(), clock.instant().getEpochSecond());
    try (RelayClient relay = RelayClient.connect(http, node)) {
      relay.publish(event);
    }
    Timings timings = new Timings(made.transcodeMs(), made.hashMs(), uploadMs, made.sizeBytes());
    progress.println(timings.describe());
    return new Result(event, d, film.master().sha256(), made.blobCount(), up, timings);
  }

  /**
   * The node advertises a film it holds whole (its {@code Advertiser}, signed by the node key, looks as soon as the
   * film's playlists are read): waits for that kind 30081 on the node's relay and reports it. Returns it, or null
   * when none came in time (the node does not advertise: no https public URL, or advertising is off).
   */
  com.fasterxml.jackson.databind.JsonNode awaitAdvert(Result published, int seconds) throws Exception {
    String address = "30082:" + published.event().pubkey() + ":" + published.d();
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    try (RelayClient relay = RelayClient.connect(http, node)) {
      while (true) {
        for (var advert : relay.query("{\"kinds\":[30081],\"#a\":[\"" + address + "\"]}")) {
          if (advert.path("created_at").asLong() >= published.event().createdAt()) {
            progress.println("seed advert: kind 30081 " + advert.path("id").asText() + " by node "
                + advert.path("pubkey").asText());
            return advert;
          }
        }
        if (System.nanoTime() > deadline) break;
        Thread.sleep(250);
      }
    }
    progress.println("seed advert: none within " + seconds + " s (the node advertises films it holds whole when "
        + "[film-catalog] advertise is on and its public_url is https, or fetch_allow_private is set)");
    return null;
  }

  /** {@code <slug of the input's name>-<12 hex of its hash>}: readable, and the same for the same input. */
  static String filmId(Path input, String hash) {
    String name = input.getFileName().toString();
    return Files.isDirectory(input) ? FilmMaker.slugId(name, hash) : FilmMaker.filmId(name, hash);
  }
}
