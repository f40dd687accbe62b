package archy.ecash.gate;

import archy.ecash.Db;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The replay set and per-token claims ({@code ecash_gate_tokens}, {@code ecash_gate_seen_ys}). A claim is an
 * insert keyed by the token's hash, so across processes only one inserts it; the lease column says who is
 * working on a pending token, so a retry elsewhere waits instead of swapping twice. Methods run inside the
 * caller's transaction.
 */
final class TokenTable {
  /** Thrown inside a claim when some proof was already presented in another token; rolls the claim back. */
  static final class SeenBefore extends RuntimeException {
    SeenBefore() {
      super("proofs seen before", null, false, false);
    }
  }

  private static final String COLUMNS = "hash, session, service, scope, mint, amount, fee, bytes, sats_per_mb, state, "
      + "provisional, token, attempts, next_attempt, lease_until, reason";

  private final Clock clock;

  TokenTable(Clock clock) {
    this.clock = clock;
  }

  /**
   * Claims a new token with its {@code Y}s; false when a row for this token exists already.
   *
   * @throws SeenBefore when one of the {@code Y}s came in another token
   */
  boolean claim(Connection c, TokenRow r, List<String> ys) throws SQLException {
    long now = clock.millis();
    int inserted = Db.update(c, "INSERT INTO ecash_gate_tokens (" + COLUMNS + ", created, updated) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (hash) DO NOTHING",
        r.hash(), r.session(), r.service(), r.scope(), r.mint(), r.amount(), r.fee(), r.bytes(), r.satsPerMb(),
        column(r.state()), r.provisional() ? 1 : 0, r.token(), r.attempts(), r.nextAttempt(), r.leaseUntil(),
        r.reason(), now, now);
    if (inserted == 0) return false;
    for (String y : ys) {
      if (Db.update(c, "INSERT INTO ecash_gate_seen_ys (y, hash) VALUES (?, ?) ON CONFLICT (y) DO NOTHING", y,
          r.hash()) == 0) {
        throw new SeenBefore();
      }
    }
    return true;
  }

  Optional<TokenRow> find(Connection c, String hash) throws SQLException {
    return Db.one(c, "SELECT " + COLUMNS + " FROM ecash_gate_tokens WHERE hash = ?", TokenTable::row, hash);
  }

  /** Pending tokens due for another attempt and not leased. */
  List<TokenRow> due(Connection c, int limit) throws SQLException {
    long now = clock.millis();
    return Db.query(c, "SELECT " + COLUMNS + " FROM ecash_gate_tokens WHERE state = 'pending' AND next_attempt <= ? "
        + "AND lease_until < ? ORDER BY next_attempt LIMIT " + limit, TokenTable::row, now, now);
  }

  /** Takes the lease on a pending token nobody holds; false when someone does or it is final. */
  boolean lease(Connection c, String hash, long untilMillis) throws SQLException {
    long now = clock.millis();
    return Db.update(c, "UPDATE ecash_gate_tokens SET lease_until = ?, updated = ? "
        + "WHERE hash = ? AND state = 'pending' AND lease_until < ?", untilMillis, now, hash, now) == 1;
  }

  /** Swapped: final, credited (or a provisional credit confirmed). False when it was not pending. */
  boolean credited(Connection c, String hash, long fee, long bytes) throws SQLException {
    return Db.update(c, "UPDATE ecash_gate_tokens SET state = 'credited', fee = ?, bytes = ?, token = NULL, "
        + "lease_until = 0, reason = NULL, updated = ? WHERE hash = ? AND state = 'pending'", fee, bytes,
        clock.millis(), hash) == 1;
  }

  /** Credited on trust (fail_open): stays pending, with the expected fee, for the retry queue. */
  boolean provisional(Connection c, String hash, long expectedFee, long bytes, long nextAttempt, String reason)
      throws SQLException {
    return Db.update(c, "UPDATE ecash_gate_tokens SET provisional = 1, fee = ?, bytes = ?, attempts = attempts + 1, "
        + "next_attempt = ?, lease_until = 0, reason = ?, updated = ? WHERE hash = ? AND state = 'pending' "
        + "AND provisional = 0", expectedFee, bytes, nextAttempt, reason, clock.millis(), hash) == 1;
  }

  /** Refused for good. False when it was not pending. */
  boolean refused(Connection c, String hash, String reason) throws SQLException {
    return Db.update(c, "UPDATE ecash_gate_tokens SET state = 'refused', token = NULL, lease_until = 0, reason = ?, "
        + "updated = ? WHERE hash = ? AND state = 'pending'", reason, clock.millis(), hash) == 1;
  }

  /** Outcome unknown again: try later, lease released. */
  void retryLater(Connection c, String hash, long nextAttempt, String reason) throws SQLException {
    Db.update(c, "UPDATE ecash_gate_tokens SET attempts = attempts + 1, next_attempt = ?, lease_until = 0, "
        + "reason = ?, updated = ? WHERE hash = ? AND state = 'pending'", nextAttempt, reason, clock.millis(), hash);
  }

  /** What {@link #deferredSats} sums over. */
  enum By {
    SESSION("session"), MINT("mint");

    private final String column;

    By(String column) {
      this.column = column;
    }
  }

  /** Face value of the tokens credited on trust and not settled yet, for one session or one mint. */
  long deferredSats(Connection c, By by, String value) throws SQLException {
    return Db.scalar(c, "SELECT COALESCE(SUM(amount), 0) FROM ecash_gate_tokens WHERE state = 'pending' "
        + "AND provisional = 1 AND " + by.column + " = ?", value);
  }

  long count(Connection c, TokenRow.State state) throws SQLException {
    return Db.scalar(c, "SELECT COUNT(*) FROM ecash_gate_tokens WHERE state = ?", column(state));
  }

  private static String column(TokenRow.State s) {
    return s.name().toLowerCase(Locale.ROOT);
  }

  private static TokenRow row(ResultSet rs) throws SQLException {
    return new TokenRow(rs.getString("hash"), rs.getString("session"), rs.getString("service"), rs.getString("scope"),
        rs.getString("mint"), rs.getLong("amount"), rs.getLong("fee"), rs.getLong("bytes"), rs.getLong("sats_per_mb"),
        TokenRow.State.valueOf(rs.getString("state").toUpperCase(Locale.ROOT)), rs.getInt("provisional") == 1,
        rs.getString("token"), rs.getInt("attempts"), rs.getLong("next_attempt"), rs.getLong("lease_until"),
        rs.getString("reason"));
  }
}
