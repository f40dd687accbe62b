package archy.relay;

import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.Session;
import java.io.IOException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends text frames without blocking the caller, coalescing what queues up meanwhile.
 *
 * <p>Messages go to a lock-free queue and a drain task, started on a virtual thread when none is running,
 * hands every queued frame to Jetty in batching mode and flushes once. The producer (a query streaming
 * 500 events, the store acknowledging a group commit) never waits for I/O and keeps queueing while the
 * drain writes, so a burst becomes a few large writes instead of one write per frame; an idle
 * connection's message is written right away. Bytes handed to Jetty but not yet written are counted: a reader
 * that lets more than {@code maxPendingBytes} pile up is cut off, since buffering without bound for a
 * slow consumer would let one client exhaust the heap.
 */
final class Outbox {
  private static final Logger log = LoggerFactory.getLogger(Outbox.class);

  private final Session session;
  private final RemoteEndpoint.Async remote;
  private final long maxPendingBytes;
  private final ConcurrentLinkedQueue<String> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean draining = new AtomicBoolean();
  private final AtomicLong pending = new AtomicLong();
  private volatile boolean cutOff;

  private final Executor drainer;

  Outbox(Session session, long maxPendingBytes, Executor drainer) {
    this.session = session;
    this.drainer = drainer;
    this.remote = session.getAsyncRemote();
    this.maxPendingBytes = maxPendingBytes;
  }

  /** Queues one message; returns false when the connection is gone or was cut off. */
  boolean send(String message) {
    if (cutOff || !session.isOpen()) return false;
    if (pending.addAndGet(message.length()) > maxPendingBytes) {
      cutOff("slow consumer: more than " + maxPendingBytes + " bytes pending");
      return false;
    }
    queue.add(message);
    if (draining.compareAndSet(false, true)) {
      try {
        drainer.execute(this::drainAll);
      } catch (RejectedExecutionException shuttingDown) {
        draining.set(false);
        return false;
      }
    }
    return true;
  }

  private void drainAll() {
    do {
      try {
        drain();
      } finally {
        draining.set(false);
      }
      // a message queued after drain() emptied the queue but before the flag dropped is ours to send
    } while (!queue.isEmpty() && draining.compareAndSet(false, true));
  }

  private void drain() {
    try {
      remote.setBatchingAllowed(true);
      String message;
      while ((message = queue.poll()) != null) {
        long size = message.length();
        SendHandler written = result -> pending.addAndGet(-size);
        remote.sendText(message, written);
      }
      remote.setBatchingAllowed(false); // flushes the batch
    } catch (IOException | RuntimeException e) {
      queue.clear();
      log.debug("send failed on {}", session.getId(), e);
    }
  }

  void cutOff(String reason) {
    if (cutOff) return;
    cutOff = true;
    queue.clear();
    log.info("closing connection {}: {}", session.getId(), reason);
    try {
      session.close(new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, reason));
    } catch (IOException | RuntimeException e) {
      log.debug("close failed", e);
    }
  }
}
