package archy.film.backstage;

import archy.film.publish.FilmMaker;
import archy.plugin.Blobs;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Transcode jobs of finished uploads, one at a time (ffmpeg uses every core): hash the source, make the HLS ladder
 * with {@code archy film publish}'s pipeline ({@link FilmMaker}; its work directory is the one the command uses, so
 * a kept transcode is shared), then store every blob in the node. A job lives in memory; after a restart the page
 * starts it again and the kept transcode makes that quick.
 */
final class Jobs implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Jobs.class);

  enum Phase { QUEUED, HASHING, TRANSCODING, STORING, READY, FAILED }

  /** One job's state, read by status requests while the worker changes it. */
  static final class Job {
    final Uploads.Upload upload;
    volatile Phase phase = Phase.QUEUED;
    volatile int percent;
    volatile String error;
    volatile String d;
    /** The transcode's work directory, once the source was hashed. */
    volatile Path work;
    volatile FilmMaker.Made made;
    /** The address of the last version published from the page, or null. */
    volatile String published;

    Job(Uploads.Upload upload) {
      this.upload = upload;
    }
  }

  private final Path workRoot;
  private final Blobs blobs;
  private final Map<String, Job> jobs = new ConcurrentHashMap<>();
  private final ExecutorService worker = Executors.newSingleThreadExecutor(
      Thread.ofPlatform().name("film-backstage").daemon().factory());

  /** @param workRoot the publish work root ({@code <plugin data>/publish}) */
  Jobs(Path workRoot, Blobs blobs) {
    this.workRoot = workRoot;
    this.blobs = blobs;
  }

  Job find(String uploadId) {
    return jobs.get(uploadId);
  }

  /** Starts the upload's job, or returns the one already running or done (a failed one starts again). */
  Job start(Uploads.Upload u) {
    return jobs.compute(u.id(), (id, known) -> {
      if (known != null && known.phase != Phase.FAILED) return known;
      Job job = new Job(u);
      worker.execute(() -> run(job));
      return job;
    });
  }

  private void run(Job job) {
    try {
      job.phase = Phase.HASHING;
      String hash = FilmMaker.inputHash(job.upload.source());
      job.d = FilmMaker.filmId(job.upload.name(), hash);
      job.work = FilmMaker.workDir(workRoot, hash, false);
      job.phase = Phase.TRANSCODING;
      long start = System.nanoTime();
      PrintWriter quiet = new PrintWriter(Writer.nullWriter());
      FilmMaker.Made made = FilmMaker.video(job.upload.source(), job.work, quiet, p -> job.percent = p);
      job.percent = 0;
      job.phase = Phase.STORING;
      FilmMaker.Stored stored = FilmMaker.store(made, blobs, job.upload.pubkey(), p -> job.percent = p);
      job.made = made;
      job.percent = 100;
      job.phase = Phase.READY;
      log.info("backstage: film {} ready ({} blobs, {} stored, {} held; {} ms)", job.d, made.blobCount(),
          stored.stored(), stored.held(), (System.nanoTime() - start) / 1_000_000);
    } catch (Exception e) {
      if (e instanceof InterruptedException) Thread.currentThread().interrupt();
      job.error = e.getMessage() == null ? e.toString() : e.getMessage();
      job.phase = Phase.FAILED;
      log.warn("backstage: the job of upload {} failed: {}", job.upload.id(), job.error);
    }
  }

  /**
   * Forgets the upload's job, returning it (null when there was none); refused while it runs, since ffmpeg reads
   * the source.
   */
  Job forget(String uploadId) {
    Job job = jobs.get(uploadId);
    if (job != null && job.phase != Phase.READY && job.phase != Phase.FAILED) {
      throw new IllegalStateException("the transcode is running (" + job.phase.name().toLowerCase(java.util.Locale.ROOT)
          + ")");
    }
    jobs.remove(uploadId);
    return job;
  }

  @Override
  public void close() {
    worker.shutdownNow();
  }
}
