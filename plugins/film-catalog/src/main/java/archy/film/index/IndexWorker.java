package archy.film.index;

import archy.nostr.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that writes the catalog tables. {@code onEventSaved} runs on the store's completion thread,
 * where a transaction per event would delay every client's OK; here saved events queue up and are indexed
 * in batches of up to {@value #MAX_BATCH} per transaction, in commit order. Other writes (trust refresh,
 * rebuild, purges) run as tasks on the same thread, so they never race the indexer.
 */
public final class IndexWorker implements Executor, AutoCloseable {
  /**
   * On SQLite the index shares the one write lock with the event store: a batch of 100 films holds it for
   * ~25 ms, short enough not to stall other clients' OKs, long enough to amortise the commit.
   */
  static final int MAX_BATCH = 100;
  private static final Logger log = LoggerFactory.getLogger(IndexWorker.class);

  private sealed interface Job permits Saved, Task {}

  private record Saved(Event event) implements Job {}

  private record Task(Runnable work, CompletableFuture<Void> done) implements Job {}

  private final BlockingQueue<Job> queue = new LinkedBlockingQueue<>();
  private final Consumer<List<Event>> indexer;
  private final Thread thread;
  private volatile boolean closed;

  public IndexWorker(Consumer<List<Event>> indexer) {
    this.indexer = indexer;
    this.thread = Thread.ofPlatform().name("film-catalog-index").daemon().start(this::run);
  }

  /** Queues a saved event for indexing. */
  public void saved(Event event) {
    if (!closed) queue.add(new Saved(event));
  }

  /** Runs the work after everything queued before it; the future fails if the work throws. */
  public CompletableFuture<Void> submit(Runnable work) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (closed) {
      done.completeExceptionally(new IllegalStateException("the film catalog index is closed"));
    } else {
      queue.add(new Task(work, done));
    }
    return done;
  }

  @Override
  public void execute(Runnable work) {
    submit(work);
  }

  /** Completes once everything queued so far has been indexed. */
  public CompletableFuture<Void> barrier() {
    return submit(() -> { });
  }

  private void run() {
    List<Event> batch = new ArrayList<>();
    while (!closed || !queue.isEmpty()) {
      Job job;
      try {
        job = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      while (job != null) {
        Job after = null;
        switch (job) {
          case Task task -> runTask(task);
          case Saved saved -> {
            batch.add(saved.event());
            Job more;
            while (batch.size() < MAX_BATCH && (more = queue.poll()) != null) {
              if (more instanceof Saved s) {
                batch.add(s.event());
              } else {
                after = more;
                break;
              }
            }
            index(batch);
            batch.clear();
          }
        }
        job = after;
      }
    }
  }

  private void index(List<Event> batch) {
    try {
      indexer.accept(List.copyOf(batch));
    } catch (RuntimeException e) {
      log.warn("indexing {} film catalog events failed", batch.size(), e);
    }
  }

  private static void runTask(Task task) {
    try {
      task.work().run();
      task.done().complete(null);
    } catch (RuntimeException e) {
      log.warn("film catalog task failed", e);
      task.done().completeExceptionally(e);
    }
  }

  @Override
  public void close() {
    closed = true;
    queue.add(new Task(() -> { }, new CompletableFuture<>()));
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) thread.interrupt();
  }
}
