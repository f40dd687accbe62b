package archy.store;

import archy.nostr.Event;
import archy.threads.CoreThreads;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: one thread drains the queue and writes whatever is waiting (up to {@value #MAX_BATCH}
 * events) in one transaction, so a burst of writes costs one fsync instead of one each. Futures complete
 * after the commit, in commit order, on a separate thread: the relay's follow-up work (OK, hooks, fan-out)
 * never delays the next batch.
 *
 * <p>A batch first runs without savepoints (the fast path). If any event fails, the batch is rolled back
 * and run again with a savepoint per event: a transient failure (PostgreSQL unique violation after a race
 * with another process, deadlock) retries that event, then the whole batch with backoff; any other failure
 * fails only its own event.
 */
final class EventWriter {
  private static final Logger log = LoggerFactory.getLogger(EventWriter.class);
  static final int MAX_BATCH = 500;
  private static final int MAX_ATTEMPTS = 6;
  private static final int EVENT_RETRIES = 2;
  private static final Pending STOP = new Pending(null, null);

  private record Pending(Event event, CompletableFuture<SaveResult> future) {}

  /** Thrown inside a careful pass to restart the whole batch after a transient failure. */
  private static final class RetryBatch extends Exception {
    RetryBatch(SQLException cause) {
      super(cause.getMessage(), cause, false, false);
    }
  }

  private final DataSource dataSource;
  private final Dialect dialect;
  private final Clock clock;
  private final PgNotifier notifier;
  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final ExecutorService completions =
      Executors.newSingleThreadExecutor(CoreThreads.factory("archy-store-completions"));
  private final Thread thread;
  private volatile boolean closing;
  private volatile long commits;

  EventWriter(DataSource dataSource, Dialect dialect, Clock clock, PgNotifier notifier) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.clock = clock;
    this.notifier = notifier;
    // Daemon: every acknowledged write is already committed, and close() drains the rest.
    this.thread = CoreThreads.start("archy-store-writer", this::run);
  }

  CompletableFuture<SaveResult> submit(Event event) {
    CompletableFuture<SaveResult> future = new CompletableFuture<>();
    if (closing) return CompletableFuture.failedFuture(new IllegalStateException("the event store is closed"));
    Pending pending = new Pending(event, future);
    queue.add(pending);
    // close() may have run between the check and add; if the writer has not taken it, take it back.
    if (closing && queue.remove(pending)) {
      return CompletableFuture.failedFuture(new IllegalStateException("the event store is closed"));
    }
    return future;
  }

  /** Transactions committed so far. */
  long commits() {
    return commits;
  }

  /** Commits everything queued, then stops the thread. */
  void close() {
    if (closing) return;
    closing = true;
    queue.add(STOP);
    try {
      thread.join();
      completions.shutdown();
      completions.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    List<Pending> batch = new ArrayList<>(MAX_BATCH);
    boolean stopping = false;
    while (true) {
      try {
        if (!stopping) {
          Pending first = queue.take();
          if (first == STOP) stopping = true; else batch.add(first);
        }
        queue.drainTo(batch, MAX_BATCH - batch.size());
        if (batch.remove(STOP)) stopping = true;
        if (batch.isEmpty()) {
          if (stopping) return;
          continue;
        }
        Object[] outcomes = write(batch);
        List<Pending> done = batch;
        completions.execute(() -> complete(done, outcomes));
        batch = new ArrayList<>(MAX_BATCH);
      } catch (InterruptedException e) {
        stopping = true;
      } catch (RuntimeException e) {
        // An Error (out of memory) is not caught: the thread dies and CoreThreads ends the process,
        // rather than a writer limping on in a heap that can no longer hold its batches.
        log.error("event writer failed; failing {} queued writes", batch.size(), e);
        for (Pending p : batch) p.future.completeExceptionally(e);
        batch = new ArrayList<>(MAX_BATCH);
      }
    }
  }

  private static void complete(List<Pending> batch, Object[] outcomes) {
    for (int i = 0; i < batch.size(); i++) {
      CompletableFuture<SaveResult> future = batch.get(i).future;
      if (outcomes[i] instanceof SaveResult result) {
        future.complete(result);
      } else {
        future.completeExceptionally((Throwable) outcomes[i]);
      }
    }
  }

  /** One outcome per event: a {@link SaveResult}, or the Throwable that failed it. */
  private Object[] write(List<Pending> batch) {
    boolean careful = false;
    Exception last = null;
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      try (Connection c = dataSource.getConnection()) {
        c.setAutoCommit(false);
        long now = clock.millis() / 1000;
        try (SaveTransaction tx = new SaveTransaction(c, dialect, now, notifier)) {
          tx.lock(events(batch));
          Object[] outcomes = careful ? applyEach(c, tx, batch) : applyAll(tx, batch);
          tx.flushNotifications();
          c.commit();
          commits++; // only this thread writes it
          return outcomes;
        } catch (SQLException | RuntimeException | RetryBatch e) {
          rollback(c);
          throw e;
        }
      } catch (SQLException | RuntimeException | RetryBatch e) {
        last = e;
        if (!careful) {
          careful = true; // no backoff: rerun at once, isolating events
          log.debug("batch of {} failed, retrying event by event", batch.size(), e);
          continue;
        }
        if (attempt < MAX_ATTEMPTS) {
          log.debug("batch of {} failed transiently (attempt {})", batch.size(), attempt, e);
          sleep(attempt);
        }
      }
    }
    log.error("could not write a batch of {} events", batch.size(), last);
    Object[] failed = new Object[batch.size()];
    Arrays.fill(failed, new StoreException("could not write events", last));
    return failed;
  }

  private static List<Event> events(List<Pending> batch) {
    List<Event> events = new ArrayList<>(batch.size());
    for (Pending p : batch) events.add(p.event);
    return events;
  }

  private static Object[] applyAll(SaveTransaction tx, List<Pending> batch) throws SQLException {
    Object[] outcomes = new Object[batch.size()];
    for (int i = 0; i < batch.size(); i++) outcomes[i] = tx.apply(batch.get(i).event);
    return outcomes;
  }

  private Object[] applyEach(Connection c, SaveTransaction tx, List<Pending> batch) throws SQLException, RetryBatch {
    Object[] outcomes = new Object[batch.size()];
    for (int i = 0; i < batch.size(); i++) {
      Event event = batch.get(i).event;
      for (int tries = 1; ; tries++) {
        Savepoint savepoint = c.setSavepoint();
        try {
          outcomes[i] = tx.apply(event);
          c.releaseSavepoint(savepoint);
          break;
        } catch (SQLException e) {
          c.rollback(savepoint);
          if (dialect.isTransient(e)) {
            if (tries <= EVENT_RETRIES) continue;
            // Our earlier events may hold the locks the other transaction waits for: start over.
            throw new RetryBatch(e);
          }
          log.warn("could not store event {}", event.id(), e);
          outcomes[i] = new StoreException("could not store event", e);
          break;
        } catch (RuntimeException e) {
          c.rollback(savepoint);
          log.warn("could not store event {}", event.id(), e);
          outcomes[i] = e;
          break;
        }
      }
    }
    return outcomes;
  }

  private static void rollback(Connection c) {
    try {
      c.rollback();
    } catch (SQLException e) {
      log.debug("rollback failed", e);
    }
  }

  private static void sleep(int attempt) {
    try {
      long base = 20L << Math.min(attempt, 6);
      Thread.sleep(base + ThreadLocalRandom.current().nextLong(base));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
