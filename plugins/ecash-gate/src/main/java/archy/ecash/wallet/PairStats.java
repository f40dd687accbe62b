package archy.ecash.wallet;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What recent transfers between two mints did (reference/cashu.md §5.5): outcomes, fees and times, and a circuit
 * breaker that refuses a pair for a while after consecutive failures. Advisory only: it never replaces the live
 * quote checks, and it lives in memory (a restart forgets it, which merely lets a pair be tried again).
 */
public final class PairStats {
  /** One pair's summary. */
  public record Summary(int attempts, int successes, long lastFee, long averageMillis, int consecutiveFailures,
                        boolean open) {}

  private record Outcome(boolean ok, long fee, long millis) {}

  private static final int KEEP = 20;
  private static final int TRIP_AFTER = 3;
  private static final Duration OPEN_FOR = Duration.ofMinutes(10);

  private final class History {
    final Deque<Outcome> recent = new ArrayDeque<>();
    int consecutiveFailures;
    long openUntil;
  }

  private final Clock clock;
  private final Map<String, History> pairs = new ConcurrentHashMap<>();

  PairStats(Clock clock) {
    this.clock = clock;
  }

  void record(String source, String target, boolean ok, long fee, long millis) {
    History h = pairs.computeIfAbsent(key(source, target), k -> new History());
    synchronized (h) {
      h.recent.addLast(new Outcome(ok, fee, millis));
      if (h.recent.size() > KEEP) h.recent.removeFirst();
      h.consecutiveFailures = ok ? 0 : h.consecutiveFailures + 1;
      if (h.consecutiveFailures >= TRIP_AFTER) h.openUntil = clock.millis() + OPEN_FOR.toMillis();
    }
  }

  /** False while the pair's breaker is open (too many failures in a row, recently). */
  public boolean usable(String source, String target) {
    History h = pairs.get(key(source, target));
    if (h == null) return true;
    synchronized (h) {
      return clock.millis() >= h.openUntil;
    }
  }

  public Summary summary(String source, String target) {
    History h = pairs.get(key(source, target));
    if (h == null) return new Summary(0, 0, 0, 0, 0, false);
    synchronized (h) {
      int ok = 0;
      long millis = 0;
      long lastFee = 0;
      for (Outcome o : h.recent) {
        if (o.ok()) {
          ok++;
          lastFee = o.fee();
        }
        millis += o.millis();
      }
      return new Summary(h.recent.size(), ok, lastFee, h.recent.isEmpty() ? 0 : millis / h.recent.size(),
          h.consecutiveFailures, clock.millis() < h.openUntil);
    }
  }

  private static String key(String source, String target) {
    return source + " " + target;
  }
}
