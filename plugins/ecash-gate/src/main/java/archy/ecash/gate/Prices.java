package archy.ecash.gate;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sats per MB (10^6 bytes) per service, with per-scope overrides that other plugins may set at run time. Reads
 * are two hash lookups; no allocation.
 */
final class Prices {
  private static final long MB = 1_000_000L;

  private final Map<String, Long> byService;
  private final Map<String, ConcurrentHashMap<String, Long>> overrides = new ConcurrentHashMap<>();

  Prices(Map<String, Long> byService, Map<String, Map<String, Long>> scopeOverrides) {
    for (var e : byService.entrySet()) checkPrice(e.getValue());
    this.byService = Map.copyOf(byService);
    scopeOverrides.forEach((service, scopes) -> scopes.forEach((scope, price) -> set(service, scope, price)));
  }

  /** @throws IllegalArgumentException for a service without a price */
  long satsPerMb(String service, String scope) {
    ConcurrentHashMap<String, Long> scoped = overrides.get(service);
    if (scoped != null && scope != null) {
      Long p = scoped.get(scope);
      if (p != null) return p;
    }
    Long p = byService.get(service);
    if (p == null) throw new IllegalArgumentException("no price for service '" + service + "'");
    return p;
  }

  void set(String service, String scope, Long satsPerMb) {
    if (!byService.containsKey(service)) throw new IllegalArgumentException("no price for service '" + service + "'");
    if (satsPerMb == null) {
      ConcurrentHashMap<String, Long> scoped = overrides.get(service);
      if (scoped != null) scoped.remove(scope);
      return;
    }
    checkPrice(satsPerMb);
    overrides.computeIfAbsent(service, s -> new ConcurrentHashMap<>()).put(scope, satsPerMb);
  }

  /** What {@code bytes} cost, rounded up to whole sats, at least 1. */
  static long satsFor(long bytes, long satsPerMb) {
    if (bytes <= 0 || satsPerMb == 0) return 1;
    try {
      return Math.max(1, Math.ceilDiv(Math.multiplyExact(bytes, satsPerMb), MB));
    } catch (ArithmeticException beyondAnyRealBlob) {
      return Long.MAX_VALUE / MB;
    }
  }

  /** What {@code sats} buy, rounded down: {@code sats × 10^6 / satsPerMb} (the price must not be 0). */
  static long bytesFor(long sats, long satsPerMb) {
    if (sats <= 0) return 0;
    try {
      return Math.multiplyExact(sats, MB) / satsPerMb;
    } catch (ArithmeticException beyondAnyRealBalance) {
      return Long.MAX_VALUE / 2;
    }
  }

  private static void checkPrice(long satsPerMb) {
    if (satsPerMb < 0) throw new IllegalArgumentException("a price cannot be negative");
  }
}
