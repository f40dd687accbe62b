package archy.ecash.wallet;

import archy.ecash.Db;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What recent transfers between two mints did (reference/cashu.md §5.5): outcomes, fees and times, and a circuit
 * breaker that refuses a pair for a while after consecutive failures. Read from the transfers themselves
 * ({@code ecash_gate_transfers}), so every process on the database and every restart sees the same record.
 * Advisory only: it never replaces the live quote checks.
 */
public final class PairStats {
  /**
   * One pair's last {@link #KEEP} finished transfers: how many, how many completed, the fee of the last completed
   * one and the mean fee of completed ones in parts per million of the amount, the mean time from start to end,
   * the failures since the last success, and until when the breaker refuses the pair (null: it does not).
   */
  public record Summary(String source, String target, int attempts, int successes, long lastFee, long feePpm,
                        long averageMillis, int consecutiveFailures, Instant pausedUntil) {
    /** True while the breaker refuses the pair. */
    public boolean open() {
      return pausedUntil != null;
    }
  }

  private record Outcome(boolean ok, long amount, long fee, long created, long updated) {}

  private static final int KEEP = 20;
  private static final int TRIP_AFTER = 3;
  static final Duration OPEN_FOR = Duration.ofMinutes(10);

  private final Db db;
  private final Clock clock;

  PairStats(Db db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** False while the pair's breaker is open (too many failures in a row, recently). */
  public boolean usable(String source, String target) throws SQLException {
    return !summary(source, target).open();
  }

  public Summary summary(String source, String target) throws SQLException {
    List<Outcome> recent = db.tx(c -> Db.query(c, "SELECT state, amount, fee, created, updated FROM ecash_gate_transfers "
            + "WHERE source = ? AND target = ? AND state IN ('completed', 'failed') ORDER BY updated DESC LIMIT " + KEEP,
        rs -> new Outcome(rs.getString(1).equals("completed"), rs.getLong(2), rs.getLong(3), rs.getLong(4),
            rs.getLong(5)), source, target));
    int ok = 0;
    int failures = 0;
    boolean streak = true;
    long millis = 0;
    long lastFee = -1;
    long ppm = 0;
    for (Outcome o : recent) { // newest first
      if (o.ok()) {
        ok++;
        if (lastFee < 0) lastFee = o.fee();
        ppm += o.fee() * 1_000_000 / Math.max(1, o.amount());
        streak = false;
      } else if (streak) {
        failures++;
      }
      millis += o.updated() - o.created();
    }
    Instant paused = null;
    if (failures >= TRIP_AFTER) {
      Instant until = Instant.ofEpochMilli(recent.get(0).updated()).plus(OPEN_FOR);
      if (clock.instant().isBefore(until)) paused = until;
    }
    return new Summary(source, target, recent.size(), ok, Math.max(0, lastFee), ok == 0 ? 0 : ppm / ok,
        recent.isEmpty() ? 0 : millis / recent.size(), failures, paused);
  }

  /** Every pair a transfer was ever tried between, most recently used first. */
  public List<Summary> all() throws SQLException {
    List<String[]> pairs = db.tx(c -> Db.query(c, "SELECT source, target, MAX(updated) AS last FROM ecash_gate_transfers "
        + "GROUP BY source, target ORDER BY last DESC", rs -> new String[] {rs.getString(1), rs.getString(2)}));
    List<Summary> out = new ArrayList<>();
    for (String[] p : pairs) out.add(summary(p[0], p[1]));
    return out;
  }
}
