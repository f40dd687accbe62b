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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;

/**
 * Puts a film's blobs on a Blossom server with BUD-11 {@code upload} tokens (one per blob, scoped to the server's
 * host and the blob's sha256). A blob the server already has (HEAD {@code /<sha256>} answers 200) is skipped, so
 * a second run after a failure sends only what is missing and a re-run of a finished film sends nothing.
 * Media blobs go several at a time; playlists last.
 */
final class Uploader {
  /** What a run did: blobs and bytes sent, and blobs the server already had. */
  record Result(int uploaded, long bytesUploaded, int skipped) {}

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  /** Blobs in flight at once: enough to hide each PUT's round trips and the server's fsync. */
  static final int PARALLEL = 4;

  /** Where blobs go: a Blossom server over HTTP, or the node's own store (backstage, in the node's process). */
  interface Target {
    boolean has(BlobFile b) throws IOException, InterruptedException;

    void put(BlobFile b) throws IOException, InterruptedException;
  }

  private final Target target;
  private final PrintWriter progress;
  private final IntConsumer percent;

  Uploader(HttpClient http, URI base, Keys keys, Clock clock, PrintWriter progress) {
    this(new Blossom(http, base, keys, clock), progress, p -> { });
  }

  /** @param percent told how far the run got (bytes done of the total, 0..100) */
  Uploader(Target target, PrintWriter progress, IntConsumer percent) {
    this.target = target;
    this.progress = progress;
    this.percent = percent;
  }

  /**
   * Media blobs (segments, poster) go {@link #PARALLEL} at a time; playlists after them, one by one in the given
   * (children first) order, so a node never holds a playlist whose children it lacks.
   */
  Result upload(List<BlobFile> blobs) throws IOException, InterruptedException {
    long total = blobs.stream().mapToLong(BlobFile::size).sum();
    Progress p = new Progress(total, blobs.size());
    List<BlobFile> media = blobs.stream().filter(b -> !b.extension().equals(".m3u8")).toList();
    List<BlobFile> playlists = blobs.stream().filter(b -> b.extension().equals(".m3u8")).toList();
    try (ExecutorService pool = Executors.newFixedThreadPool(PARALLEL)) {
      List<Future<?>> running = new ArrayList<>();
      for (BlobFile b : media) running.add(pool.submit(() -> one(b, p)));
      for (Future<?> f : running) {
        try {
          f.get();
        } catch (ExecutionException e) {
          running.forEach(r -> r.cancel(true));
          if (e.getCause() instanceof RuntimeException re) throw re;
          if (e.getCause() instanceof IOException io) throw io;
          throw new IOException(e.getCause());
        }
      }
    }
    for (BlobFile b : playlists) one(b, p);
    progress.println();
    progress.flush();
    return new Result(p.uploaded.get(), p.sent.get(), p.skipped.get());
  }

  private Void one(BlobFile b, Progress p) throws IOException, InterruptedException {
    if (target.has(b)) {
      p.skipped.incrementAndGet();
    } else {
      target.put(b);
      p.uploaded.incrementAndGet();
      p.sent.addAndGet(b.size());
    }
    long done = p.done.addAndGet(b.size());
    int pct = p.total == 0 ? 100 : (int) (done * 100 / p.total);
    synchronized (progress) {
      progress.print("\rupload    " + Bar.of(pct) + "  " + (p.uploaded.get() + p.skipped.get()) + "/" + p.blobs
          + " blobs");
      progress.flush();
      percent.accept(pct);
    }
    return null;
  }

  /** Counters shared by the upload threads. */
  private record Progress(long total, int blobs, AtomicLong done, AtomicInteger uploaded, AtomicLong sent,
                          AtomicInteger skipped) {
    Progress(long total, int blobs) {
      this(total, blobs, new AtomicLong(), new AtomicInteger(), new AtomicLong(), new AtomicInteger());
    }
  }

  /** A Blossom server: HEAD {@code /<sha256>}, then PUT {@code /upload} with a BUD-11 token per blob. */
  private record Blossom(HttpClient http, URI base, Keys keys, Clock clock) implements Target {
    @Override
    public boolean has(BlobFile b) throws IOException, InterruptedException {
      HttpResponse<Void> r = http.send(HttpRequest.newBuilder(base.resolve("/" + b.sha256()))
          .method("HEAD", HttpRequest.BodyPublishers.noBody()).timeout(TIMEOUT).build(),
          HttpResponse.BodyHandlers.discarding());
      return r.statusCode() == 200;
    }

    @Override
    public void put(BlobFile b) throws IOException, InterruptedException {
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
}
