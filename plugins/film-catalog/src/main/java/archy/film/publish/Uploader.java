package archy.film.publish;

import archy.blossom.BlossomTokens;
import archy.nostr.Keys;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Puts a film's blobs on a Blossom server with BUD-11 {@code upload} tokens (one per blob, scoped to the server's
 * host and the blob's sha256). A blob the server already has (HEAD {@code /<sha256>} answers 200) is skipped, so
 * a second run after a failure sends only what is missing and a re-run of a finished film sends nothing.
 */
final class Uploader {
  /** What a run did: blobs and bytes sent, and blobs the server already had. */
  record Result(int uploaded, long bytesUploaded, int skipped) {}

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final HttpClient http;
  private final URI base;
  private final Keys keys;
  private final Clock clock;
  private final PrintWriter progress;

  Uploader(HttpClient http, URI base, Keys keys, Clock clock, PrintWriter progress) {
    this.http = http;
    this.base = base;
    this.keys = keys;
    this.clock = clock;
    this.progress = progress;
  }

  Result upload(List<BlobFile> blobs) throws IOException, InterruptedException {
    long total = blobs.stream().mapToLong(BlobFile::size).sum();
    long done = 0;
    int uploaded = 0;
    int skipped = 0;
    long sent = 0;
    for (BlobFile b : blobs) {
      if (has(b)) {
        skipped++;
      } else {
        put(b);
        uploaded++;
        sent += b.size();
      }
      done += b.size();
      progress.print("\rupload    " + Bar.of(total == 0 ? 100 : (int) (done * 100 / total)) + "  "
          + (uploaded + skipped) + "/" + blobs.size() + " blobs");
      progress.flush();
    }
    progress.println();
    progress.flush();
    return new Result(uploaded, sent, skipped);
  }

  private boolean has(BlobFile b) throws IOException, InterruptedException {
    HttpResponse<Void> r = http.send(HttpRequest.newBuilder(base.resolve("/" + b.sha256()))
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).timeout(TIMEOUT).build(),
        HttpResponse.BodyHandlers.discarding());
    return r.statusCode() == 200;
  }

  private void put(BlobFile b) throws IOException, InterruptedException {
    String auth = BlossomTokens.header(keys, "upload", base.getHost(), b.sha256(), clock.instant().getEpochSecond());
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/upload"))
        .PUT(HttpRequest.BodyPublishers.ofFile(b.file())).expectContinue(true)
        .header("Authorization", auth).header("X-SHA-256", b.sha256()).header("Content-Type", b.contentType())
        .build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200 && r.statusCode() != 201) {
      String reason = r.headers().firstValue("X-Reason").orElse(r.body());
      throw new PublishException("upload of " + b.blossomName() + " (" + b.size() + " bytes) to " + base
          + " failed: " + r.statusCode() + " " + reason);
    }
  }
}
