package archy.relay;

import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.Session;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends text frames without blocking the caller and counts the bytes still queued. A reader that lets
 * more than {@code maxPendingBytes} pile up is cut off: buffering without bound for a slow consumer
 * would let one client exhaust the heap.
 */
final class Outbox {
  private static final Logger log = LoggerFactory.getLogger(Outbox.class);

  private final Session session;
  private final RemoteEndpoint.Async remote;
  private final long maxPendingBytes;
  private final AtomicLong pending = new AtomicLong();
  private volatile boolean cutOff;

  Outbox(Session session, long maxPendingBytes) {
    this.session = session;
    this.remote = session.getAsyncRemote();
    this.maxPendingBytes = maxPendingBytes;
  }

  /** Queues one message; returns false when the connection is gone or was cut off. */
  boolean send(String message) {
    if (cutOff || !session.isOpen()) return false;
    long size = message.length();
    if (pending.addAndGet(size) > maxPendingBytes) {
      pending.addAndGet(-size);
      cutOff("slow consumer: more than " + maxPendingBytes + " bytes pending");
      return false;
    }
    SendHandler done = result -> pending.addAndGet(-size);
    // The Jakarta async remote is not specified as thread-safe; sends from the writer, query and
    // network threads are serialized here.
    synchronized (this) {
      try {
        remote.sendText(message, done);
      } catch (RuntimeException e) {
        pending.addAndGet(-size);
        return false;
      }
    }
    return true;
  }

  long pendingBytes() {
    return pending.get();
  }

  void cutOff(String reason) {
    if (cutOff) return;
    cutOff = true;
    log.info("closing connection {}: {}", session.getId(), reason);
    try {
      session.close(new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, reason));
    } catch (IOException | RuntimeException e) {
      log.debug("close failed", e);
    }
  }
}
