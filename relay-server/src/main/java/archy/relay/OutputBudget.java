package archy.relay;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounds the output queued for all WebSocket clients together and per remote address.
 *
 * <p>A per-connection cap alone does not bound the heap: 190 clients that subscribe and never read, each
 * under its own cap, hold a copy of every large event between them until the heap is gone. Every byte an
 * {@link Outbox} queues is reserved here first; when the total (or one address's share) goes over its
 * limit, the connections holding the most unsent output — the slowest readers — are cut off until the
 * rest fits. Their bytes come back as Jetty fails their frames, so connections already being cut off
 * count as freed, which stops one overflow from cutting off more readers than it takes.
 */
final class OutputBudget {
  private final long maxTotal;
  private final long maxPerAddress;
  private final AtomicLong total = new AtomicLong();
  private final Map<String, AtomicLong> perAddress = new ConcurrentHashMap<>();
  private final Set<Outbox> outboxes = ConcurrentHashMap.newKeySet();

  OutputBudget(long maxTotal, long maxPerAddress) {
    this.maxTotal = maxTotal;
    this.maxPerAddress = maxPerAddress;
  }

  /** The total limit the config asks for; 0 means a quarter of the largest heap the JVM may use. */
  static long totalLimit(long configured) {
    return configured > 0 ? configured : Runtime.getRuntime().maxMemory() / 4;
  }

  void register(Outbox outbox) {
    outboxes.add(outbox);
  }

  void unregister(Outbox outbox) {
    outboxes.remove(outbox);
  }

  /** Counts {@code bytes} queued by {@code outbox}, cutting off the slowest readers when over a limit. */
  void reserve(Outbox outbox, long bytes) {
    long all = total.addAndGet(bytes);
    long mine = perAddress.computeIfAbsent(outbox.address(), a -> new AtomicLong()).addAndGet(bytes);
    if (mine > maxPerAddress) shed(outbox.address(), maxPerAddress);
    if (all > maxTotal) shed(null, maxTotal);
  }

  void release(Outbox outbox, long bytes) {
    total.addAndGet(-bytes);
    perAddress.computeIfPresent(outbox.address(), (a, n) -> n.addAndGet(-bytes) <= 0 ? null : n);
  }

  /** Bytes queued for every connection together (a metric). */
  long queuedBytes() {
    return total.get();
  }

  /** Cuts off the outboxes (of {@code address}, or of all when null) with the most output until under {@code limit}. */
  private synchronized void shed(String address, long limit) {
    long used = address == null ? total.get() : perAddressBytes(address);
    long freeing = 0;
    for (Outbox o : outboxes) {
      if (o.isCutOff() && (address == null || address.equals(o.address()))) freeing += o.pendingBytes();
    }
    while (used - freeing > limit) {
      Outbox slowest = null;
      for (Outbox o : outboxes) {
        if (o.isCutOff() || (address != null && !address.equals(o.address()))) continue;
        if (slowest == null || o.pendingBytes() > slowest.pendingBytes()) slowest = o;
      }
      if (slowest == null) return;
      freeing += slowest.pendingBytes();
      slowest.cutOff(address == null
          ? "slow consumer: the relay's output queues are full and this connection has the most unsent output"
          : "slow consumer: connections from this address have too much unsent output");
    }
  }

  private long perAddressBytes(String address) {
    AtomicLong n = perAddress.get(address);
    return n == null ? 0 : n.get();
  }
}
