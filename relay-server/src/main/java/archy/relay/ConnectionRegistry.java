package archy.relay;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts open connections, in total and per remote address, for the per-IP limit and metrics. */
public final class ConnectionRegistry {
  private final ConcurrentHashMap<String, AtomicInteger> perAddress = new ConcurrentHashMap<>();
  private final Set<Connection> open = ConcurrentHashMap.newKeySet();
  private final int maxPerAddress;

  public ConnectionRegistry(int maxPerAddress) {
    this.maxPerAddress = maxPerAddress;
  }

  /** Whether one more connection from this address is allowed (checked before the upgrade). */
  public boolean admits(String address) {
    AtomicInteger count = perAddress.get(address);
    return count == null || count.get() < maxPerAddress;
  }

  void opened(Connection c) {
    open.add(c);
    perAddress.computeIfAbsent(c.remoteAddress, a -> new AtomicInteger()).incrementAndGet();
  }

  void closed(Connection c) {
    if (!open.remove(c)) return;
    perAddress.computeIfPresent(c.remoteAddress, (a, n) -> n.decrementAndGet() <= 0 ? null : n);
  }

  public int size() {
    return open.size();
  }

}
