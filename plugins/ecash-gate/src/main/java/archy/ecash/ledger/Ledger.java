package archy.ecash.ledger;

import archy.ecash.Db;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Locale;

/**
 * The append-only revenue ledger ({@code ecash_gate_ledger}; database triggers refuse updates and deletes).
 * Entries are written in the same transaction as the change they record (a session credited, a token settled,
 * debits flushed), so the ledger and the balances cannot drift apart. How the totals reconcile:
 * <ul>
 *   <li>bytes: {@code credit + deferred − debit − loss} = the sum of session balances;
 *   <li>sats: {@code credit + settled} (net of swap fees) = the value the gate's swaps put in the wallet, and
 *       adding {@code swap_fee} gives the face value of the tokens redeemed.
 * </ul>
 */
public final class Ledger {
  /** What an entry records. */
  public enum Kind {
    /** A session credited after the swap: sats net of the swap fee, and the bytes they bought. */
    CREDIT,
    /** A session credited on trust under {@code fail_open}, before its token could be swapped: expected sats. */
    DEFERRED,
    /** A deferred token swapped later: the sats actually received (the bytes were granted when deferred). */
    SETTLED,
    /**
     * A deferred token the mint refused later (spent, invalid): the sats expected and never received, and the bytes
     * of its credit the session still held, revoked.
     */
    LOSS,
    /** The mint's input fee on a swap. */
    SWAP_FEE,
    /** Bytes delivered from a session's balance. */
    DEBIT;

    String column() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** One entry; {@code ref} names the token (its hash) or is null. */
  public record Entry(Kind kind, String service, String scope, String session, String mint, long sats, long bytes,
                      String ref) {}

  private final Clock clock;

  public Ledger(Clock clock) {
    this.clock = clock;
  }

  /** Appends inside the caller's transaction. */
  public void append(Connection c, Entry e) throws SQLException {
    Db.update(c, "INSERT INTO ecash_gate_ledger (at, kind, service, scope, session, mint, sats, bytes, ref) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", clock.millis(), e.kind().column(), e.service(), e.scope(),
        e.session(), e.mint(), e.sats(), e.bytes(), e.ref());
  }

  /** Totals over every entry, or one service's when {@code service} is not null. */
  public LedgerTotals totals(Connection c, String service) throws SQLException {
    long[] sats = new long[Kind.values().length];
    long[] bytes = new long[Kind.values().length];
    String where = service == null ? "" : " WHERE service = ?";
    Object[] args = service == null ? new Object[0] : new Object[] {service};
    Db.query(c, "SELECT kind, COALESCE(SUM(sats), 0), COALESCE(SUM(bytes), 0) FROM ecash_gate_ledger" + where
        + " GROUP BY kind", rs -> {
          int k = Kind.valueOf(rs.getString(1).toUpperCase(Locale.ROOT)).ordinal();
          sats[k] = rs.getLong(2);
          bytes[k] = rs.getLong(3);
          return null;
        }, args);
    return new LedgerTotals(bytes[Kind.CREDIT.ordinal()], bytes[Kind.DEFERRED.ordinal()], bytes[Kind.DEBIT.ordinal()],
        sats[Kind.CREDIT.ordinal()], sats[Kind.DEFERRED.ordinal()], sats[Kind.SETTLED.ordinal()],
        sats[Kind.LOSS.ordinal()], sats[Kind.SWAP_FEE.ordinal()], bytes[Kind.LOSS.ordinal()]);
  }
}
