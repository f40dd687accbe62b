package archy.ecash;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One of the plugin's periodic jobs (token retries, wallet recovery, ...), each on a virtual thread of its own and
 * at most one run at a time: a job that fails or hangs on a slow mint never holds back another, and none of them
 * runs on the shared scheduler thread that also flushes session debits (issue 10 item 17).
 */
final class BackgroundJob {
  private static final Logger log = LoggerFactory.getLogger(BackgroundJob.class);

  /** The job's work; whatever it throws is logged and the next run starts afresh. */
  @FunctionalInterface
  interface Body {
    void run() throws Exception;
  }

  private final String name;
  private final Body body;
  private final AtomicBoolean running = new AtomicBoolean();

  BackgroundJob(String name, Body body) {
    this.name = name;
    this.body = body;
  }

  /** Starts a run unless one is still going; returns at once. */
  void start() {
    if (!running.compareAndSet(false, true)) return;
    try {
      Thread.ofVirtual().name("ecash-gate-" + name).start(this::runOnce);
    } catch (RuntimeException | Error e) {
      running.set(false);
      throw e;
    }
  }

  boolean running() {
    return running.get();
  }

  private void runOnce() {
    try {
      body.run();
    } catch (Exception | Error e) { // an Error too: the next run must still come
      log.warn("ecash-gate: {} failed, will run again: {}", name, String.valueOf(e.getMessage()));
    } finally {
      running.set(false);
    }
  }
}
