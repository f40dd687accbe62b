package archy.relaybw;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Relay requests in flight per requester, at most {@code max} each ({@code max_concurrent_per_peer}). */
final class PeerSlots {
  private final int max;
  private final ConcurrentHashMap<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();

  PeerSlots(int max) {
    this.max = max;
  }

  /** Takes a slot for {@code peer}; false when it holds {@code max} already. A true answer is paired with {@link #release}. */
  boolean acquire(String peer) {
    AtomicInteger n = inFlight.computeIfAbsent(peer, k -> new AtomicInteger());
    if (n.incrementAndGet() <= max) return true;
    n.decrementAndGet();
    return false;
  }

  void release(String peer) {
    inFlight.computeIfPresent(peer, (k, n) -> n.decrementAndGet() == 0 ? null : n);
  }
}
