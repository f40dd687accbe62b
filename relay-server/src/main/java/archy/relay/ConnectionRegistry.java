package archy.relay;

import jakarta.websocket.CloseReason;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/** Counts open connections, in total and per remote address, for the per-IP limit and metrics. */
public final class ConnectionRegistry {
  private final ConcurrentHashMap<String, AtomicInteger> perAddress = new ConcurrentHashMap<>();
  private final Set<Connection> open = ConcurrentHashMap.newKeySet();
  private final int maxPerAddress;

  public ConnectionRegistry(int maxPerAddress) {
    this.maxPerAddress = maxPerAddress;
  }

  /**
   * Whether one more connection from this address looks allowed: the cheap check before the upgrade, so
   * most refusals are a plain 429. Connects racing past it are settled exactly by {@link #opened}.
   */
  public boolean admits(String address) {
    AtomicInteger count = perAddress.get(address);
    return count == null || count.get() < maxPerAddress;
  }

  /** Counts the connection if its address is under the limit, in one atomic step; false when it is not. */
  boolean opened(Connection c) {
    boolean[] admitted = {false};
    perAddress.compute(c.remoteAddress, (a, n) -> {
      int count = n == null ? 0 : n.get();
      if (count >= maxPerAddress) return n;
      admitted[0] = true;
      AtomicInteger counter = n == null ? new AtomicInteger() : n;
      counter.incrementAndGet();
      return counter;
    });
    if (admitted[0]) open.add(c);
    return admitted[0];
  }

  void closed(Connection c) {
    if (!open.remove(c)) return;
    perAddress.computeIfPresent(c.remoteAddress, (a, n) -> n.decrementAndGet() <= 0 ? null : n);
  }

  /** Closes the open connections whose address matches (one an operator just blocked); returns how many. */
  public int disconnect(Predicate<String> address) {
    int closed = 0;
    for (Connection c : open) {
      if (!address.test(c.remoteAddress)) continue;
      closed++;
      try {
        c.session.close(new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, "blocked: this address is blocked"));
      } catch (IOException e) {
        // gone already
      }
    }
    return closed;
  }

  public int size() {
    return open.size();
  }

}
