package archy.paidblobs.client;

import archy.film.fetch.BlobHttp;
import archy.film.hls.HlsPlaylist;
import archy.film.hls.HlsPlaylist.MalformedPlaylistException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code archy fetch <film>}: every blob of a film (master, variant playlists, segments, keys), each verified
 * against its sha256, into a directory laid out as Blossom HLS ({@code <sha256>.m3u8}, {@code <sha256>.ts}), so the
 * directory plays as it is. Resumes: a blob already in the directory with the right hash is not fetched again.
 * Pays once: before the first paid byte the client is told to buy the whole remainder (sizes from free HEADs, price
 * from the film's event), and the session is kept between runs, so a second run spends what the first bought.
 */
final class FilmDownload {
  private static final long MAX_BLOB_BYTES = 64L << 30;

  private final AutoPayClient client;
  private final HttpClient http;
  private final PrintStream progress;

  FilmDownload(AutoPayClient client, HttpClient http, PrintStream progress) {
    this.client = client;
    this.http = http;
    this.progress = progress;
  }

  record Result(int blobs, int alreadyHere, long bytesFetched, long satsPaid, Path master) {}

  Result download(FilmTarget film, Path dir) throws IOException, InterruptedException, PaymentRefusedException {
    Files.createDirectories(dir);
    Map<String, String> names = new LinkedHashMap<>(); // sha256 -> file name, in playlist order
    names.put(film.masterSha256(), film.masterSha256() + ".m3u8");
    long[] fetched = {0, 0}; // bytes, sats
    int[] here = {0};
    // The event's size_bytes lets even the first playlist's payment cover the whole film.
    if (film.satsPerMb() != null && film.sizeBytes() > 0) client.buyAhead(price(film.sizeBytes(), film.satsPerMb()));
    // Playlists first: they name everything else.
    Deque<String> playlists = new ArrayDeque<>(List.of(film.masterSha256()));
    int read = 0;
    while (!playlists.isEmpty()) {
      String sha = playlists.poll();
      if (++read > 64) throw new IOException("the film has more than 64 playlists");
      Path file = dir.resolve(names.get(sha));
      get(film, sha, file, fetched, here);
      HlsPlaylist playlist;
      try {
        playlist = HlsPlaylist.parse(Files.readAllBytes(file));
      } catch (MalformedPlaylistException e) {
        throw new IOException("playlist " + sha + " is malformed: " + e.getMessage());
      }
      for (HlsPlaylist.Child child : playlist.children()) {
        if (names.putIfAbsent(child.sha256(), child.sha256() + child.extension()) == null
            && child.role() == HlsPlaylist.Role.PLAYLIST) {
          playlists.add(child.sha256());
        }
      }
    }
    List<String> missing = new ArrayList<>();
    for (Map.Entry<String, String> e : names.entrySet()) {
      if (!held(dir.resolve(e.getValue()), e.getKey())) missing.add(e.getKey());
    }
    long remaining = 0;
    for (String sha : missing) remaining += size(film, sha);
    if (film.satsPerMb() != null && remaining > 0 && fetched[1] == 0) client.buyAhead(price(remaining, film.satsPerMb()));
    int done = names.size() - missing.size();
    report(done, names.size(), fetched[0], remaining, fetched[1]);
    for (String sha : missing) {
      get(film, sha, dir.resolve(names.get(sha)), fetched, here);
      report(++done, names.size(), fetched[0], remaining, fetched[1]);
    }
    client.buyAhead(0);
    return new Result(names.size(), here[0], fetched[0], fetched[1], dir.resolve(names.get(film.masterSha256())));
  }

  /** What {@code bytes} cost at the film's price, rounded up, plus room for the mint's input fee. */
  private static long price(long bytes, long satsPerMb) {
    return (bytes * satsPerMb + 999_999) / 1_000_000 + 2;
  }

  /** The blob into {@code file} unless it is there already with the right hash. */
  private void get(FilmTarget film, String sha, Path file, long[] fetched, int[] here)
      throws IOException, InterruptedException, PaymentRefusedException {
    if (held(file, sha)) {
      here[0]++;
      return;
    }
    AutoPayClient.Fetched got = client.fetch(BlobTarget.parse(film.base() + "/" + file.getFileName(), null), file);
    fetched[0] += got.bytes();
    fetched[1] += got.satsPaid();
  }

  private static boolean held(Path file, String sha256) throws IOException {
    if (!Files.isRegularFile(file)) return false;
    try (InputStream in = Files.newInputStream(file)) {
      BlobHttp.copyVerified(in, OutputStream.nullOutputStream(), BlobHttp.Address.sha256(sha256), MAX_BLOB_BYTES);
      return true;
    } catch (IOException wrongBytes) {
      return false; // a partial or damaged copy: fetched again
    }
  }

  /** HEAD is free (PROTOCOLS.md §4.1): the sizes let one payment cover the whole film. */
  private long size(FilmTarget film, String sha) throws IOException, InterruptedException {
    HttpResponse<Void> head = http.send(HttpRequest.newBuilder(URI.create(film.base() + "/" + sha))
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.discarding());
    return head.statusCode() == 200 ? head.headers().firstValueAsLong("Content-Length").orElse(0) : 0;
  }

  private void report(int blobs, int total, long bytes, long remaining, long sats) {
    progress.printf("archy fetch: %d/%d blobs, %d/%d bytes fetched, %d sat paid%n", blobs, total, bytes, remaining, sats);
  }
}
