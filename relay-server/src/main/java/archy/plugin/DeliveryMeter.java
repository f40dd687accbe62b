package archy.plugin;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the bytes of one paid (or metered) body as a transport hands them out, and reports the total exactly
 * once when the body ends. Transport-neutral: the HTTP body writer uses it, and so can any stream writer.
 *
 * <p>Accounting rounds against the client, never the node: a chunk counts in full the moment it is handed to the
 * transport, whether or not it reaches the client, because once handed over nobody can say how much of it left
 * the machine. A writer therefore hands bytes over in chunks of at most {@link #CHUNK}, so a client that resets
 * mid-body pays for at most one chunk it never got, and never gets a chunk free.
 *
 * <p>{@link #end} never throws: a report that fails (a database that is down) is logged and the body still
 * completes; a report is expected not to do I/O of its own (ecash-gate settles a reservation in memory).
 */
public final class DeliveryMeter {
  /** The largest piece a writer hands over at once: the most a client can be charged for bytes it never got. */
  public static final int CHUNK = 1 << 20;

  private static final Logger log = LoggerFactory.getLogger(DeliveryMeter.class);

  private final LongConsumer onEnd;
  private final AtomicBoolean ended = new AtomicBoolean();
  private volatile long handed;

  /** @param onEnd told, once, the bytes handed to the transport */
  public DeliveryMeter(LongConsumer onEnd) {
    this.onEnd = onEnd;
  }

  /** {@code bytes} are about to be handed to the transport: from now on they count. Called by one writer. */
  public void handed(long bytes) {
    if (bytes < 0) throw new IllegalArgumentException("bytes must not be negative");
    handed += bytes;
  }

  public long handed() {
    return handed;
  }

  /** The body ended (sent, failed or never started): reports the count once; later calls do nothing. */
  public void end() {
    if (!ended.compareAndSet(false, true)) return;
    try {
      onEnd.accept(handed);
    } catch (RuntimeException e) {
      log.warn("metering the end of a body of {} bytes failed", handed, e);
    }
  }
}
