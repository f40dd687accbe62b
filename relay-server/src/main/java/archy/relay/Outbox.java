package archy.relay;

import jakarta.websocket.Session;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.ee10.websocket.jakarta.common.JakartaWebSocketSession;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends text frames without blocking the caller, coalescing what queues up meanwhile.
 *
 * <p>Messages go to a lock-free queue and a drain task, started on a virtual thread when none is running,
 * hands every queued frame to Jetty in batching mode and flushes once. The producer (a query streaming
 * 500 events, the store acknowledging a group commit) never waits for I/O and keeps queueing while the
 * drain writes, so a burst becomes a few large writes instead of one write per frame; an idle
 * connection's message is written right away. Frames are queued as UTF-8 bytes and handed to Jetty's core
 * WebSocket session, not the Jakarta remote: a stored event's bytes then go from the store into the frame with
 * one copy, where {@code sendText(String)} took a String and encoded it again. Bytes queued or handed to Jetty but not yet written are
 * counted here and in the shared {@link OutputBudget}: a reader that lets more than {@code maxPendingBytes}
 * pile up is cut off, and so are the slowest readers when all connections (or one address's) together hold
 * too much, since buffering without bound for slow consumers would let them exhaust the heap.
 *
 * <p>A cut-off connection is aborted, not closed politely: a reader that does not read would never take
 * the close frame, and Jetty would keep its queued frames until the idle timeout.
 */
final class Outbox {
  private static final Logger log = LoggerFactory.getLogger(Outbox.class);

  private final Session session;
  private final CoreSession core;
  private final String address;
  private final OutputBudget budget;
  private final long maxPendingBytes;
  private final ConcurrentLinkedQueue<byte[]> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean draining = new AtomicBoolean();
  private final AtomicLong pending = new AtomicLong();
  /** Bytes Jetty reported written: a waiting query's sign that the reader still reads. */
  private final AtomicLong written = new AtomicLong();
  private volatile boolean cutOff;

  private final Executor drainer;

  Outbox(JakartaWebSocketSession session, String address, OutputBudget budget, long maxPendingBytes, Executor drainer) {
    this.session = session;
    this.address = address;
    this.budget = budget;
    this.drainer = drainer;
    this.core = session.getCoreSession();
    this.maxPendingBytes = maxPendingBytes;
    budget.register(this);
  }

  /** Queues one message; returns false when the connection is gone or was cut off. */
  boolean send(String message) {
    return send(message.getBytes(StandardCharsets.UTF_8));
  }

  /** Queues one text frame given as UTF-8 (the caller hands the array over); as {@link #send(String)}. */
  boolean send(byte[] message) {
    if (cutOff || !session.isOpen()) return false;
    long size = message.length;
    if (pending.get() + size > maxPendingBytes) {
      cutOff("slow consumer: more than " + maxPendingBytes + " bytes pending");
      return false;
    }
    pending.addAndGet(size);
    budget.reserve(this, size);
    queue.add(message);
    if (cutOff) {
      // cut off meanwhile (by the budget, perhaps for this very message): nothing will send what we queued
      discardQueued();
      return false;
    }
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
      byte[] message;
      while (!cutOff && (message = queue.poll()) != null) {
        long size = message.length;
        // Called once per frame, written or failed (also when the connection is aborted).
        Callback written = Callback.from(() -> {
          this.written.addAndGet(size);
          release(size);
        }, failure -> release(size));
        try {
          core.sendFrame(new Frame(OpCode.TEXT, ByteBuffer.wrap(message)), written, true);
        } catch (RuntimeException e) {
          release(size);
          throw e;
        }
      }
      core.flush(Callback.NOOP); // writes the batch
    } catch (RuntimeException e) {
      log.debug("send failed on {}", session.getId(), e);
    } finally {
      if (cutOff || !session.isOpen()) discardQueued();
    }
  }

  private void release(long size) {
    pending.addAndGet(-size);
    budget.release(this, size);
  }

  /** Gives back what was queued but never handed to Jetty; each message is polled, so released, once. */
  private void discardQueued() {
    byte[] message;
    while ((message = queue.poll()) != null) release(message.length);
  }

  /**
   * Blocks (a query's virtual thread) while more than {@code bytes} are unsent, so a query streams at the
   * reader's pace instead of piling its whole result up in memory. Gives up, cutting the reader off, when
   * nothing drains for {@code stallMillis}; returns whether the connection is still usable.
   */
  boolean awaitBelow(long bytes, long stallMillis) {
    long last = written.get();
    long since = System.nanoTime();
    while (!cutOff && session.isOpen() && pending.get() > bytes) {
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
      long now = written.get();
      if (now != last) {
        last = now;
        since = System.nanoTime();
      } else if (System.nanoTime() - since > stallMillis * 1_000_000) {
        cutOff("slow consumer: read nothing for " + stallMillis / 1000 + " s while a query waited");
      }
    }
    return !cutOff && session.isOpen();
  }

  String address() {
    return address;
  }

  /** Bytes queued or handed to Jetty and not yet written. */
  long pendingBytes() {
    return pending.get();
  }

  boolean isCutOff() {
    return cutOff;
  }

  /** The connection closed: what is still queued will never be sent. */
  void closed() {
    cutOff = true;
    discardQueued();
    budget.unregister(this);
  }

  void cutOff(String reason) {
    synchronized (this) {
      if (cutOff) return;
      cutOff = true;
    }
    discardQueued();
    log.info("closing connection {} ({}): {}", session.getId(), address, reason);
    // Fails the frames Jetty holds, so their bytes return to the budget now, and drops the TCP connection.
    core.abort();
  }
}
