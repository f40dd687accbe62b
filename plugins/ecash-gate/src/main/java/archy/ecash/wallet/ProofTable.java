package archy.ecash.wallet;

import archy.ecash.Db;
import archy.ecash.encoding.Json;
import archy.ecash.token.Dleq;
import archy.ecash.token.Proof;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;

/**
 * The proofs the wallet holds ({@code ecash_gate_proofs}), keyed by {@code Y}. State changes are conditional
 * updates ({@code … WHERE state = 'unspent'}): of two processes reaching for one proof, PostgreSQL makes the
 * second wait for the first's row lock and then re-checks the condition, so only one moves it. Selection itself
 * takes no lock ({@code FOR UPDATE SKIP LOCKED} would hide a mint's whole balance from a second process while a
 * first one chooses). Methods run inside the caller's transaction.
 */
final class ProofTable {
  private static final String COLUMNS = "y, mint, keyset_id, amount, secret, c, dleq, state, op";

  private final Clock clock;

  ProofTable(Clock clock) {
    this.clock = clock;
  }

  /** Stores a proof; an already known {@code Y} is left as it is (a restore may bring back proofs we hold). */
  boolean insert(Connection c, String mint, Proof p, ProofStatus status, String op) throws SQLException {
    long now = clock.millis();
    return Db.update(c, "INSERT INTO ecash_gate_proofs (" + COLUMNS + ", created, updated) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (y) DO NOTHING",
        p.y().toHex(), mint, p.id(), p.amount(), p.secret(), p.c(), dleqColumn(p.dleq()), status.column(), op, now,
        now) == 1;
  }

  /** Unspent proofs of a mint, largest first. */
  List<StoredProof> selectUnspent(Connection c, String mint) throws SQLException {
    return Db.query(c, "SELECT " + COLUMNS + " FROM ecash_gate_proofs WHERE mint = ? AND state = 'unspent' "
        + "ORDER BY amount DESC, y", ProofTable::row, mint);
  }

  /** Moves one proof from {@code from} to {@code to} under {@code op}; false when it was not in {@code from}. */
  boolean move(Connection c, String y, ProofStatus from, ProofStatus to, String op) throws SQLException {
    return Db.update(c, "UPDATE ecash_gate_proofs SET state = ?, op = ?, updated = ? WHERE y = ? AND state = ?",
        to.column(), op, clock.millis(), y, from.column()) == 1;
  }

  /** Moves every proof an operation holds in state {@code from}; returns how many moved. */
  int moveAll(Connection c, String op, ProofStatus from, ProofStatus to, String newOp) throws SQLException {
    return Db.update(c, "UPDATE ecash_gate_proofs SET state = ?, op = ?, updated = ? WHERE op = ? AND state = ?",
        to.column(), newOp, clock.millis(), op, from.column());
  }

  /**
   * Moves a pending proof from operation {@code fromOp} to {@code toOp}; false when it is no longer pending under
   * {@code fromOp} (claimed, or taken by another worker first).
   */
  boolean adopt(Connection c, String y, String fromOp, String toOp) throws SQLException {
    return Db.update(c, "UPDATE ecash_gate_proofs SET op = ?, updated = ? WHERE y = ? AND state = 'pending' AND op = ?",
        toOp, clock.millis(), y, fromOp) == 1;
  }

  /** Proofs handed out in tokens (pending under a send), the least recently checked (NUT-07) first. */
  List<StoredProof> sentLeastChecked(Connection c, int limit) throws SQLException {
    return Db.query(c, "SELECT " + COLUMNS + " FROM ecash_gate_proofs WHERE state = 'pending' AND op LIKE 'send-%' "
        + "ORDER BY checked, y LIMIT " + limit, ProofTable::row);
  }

  /** Notes that NUT-07 was asked about the proof now. */
  void checked(Connection c, String y) throws SQLException {
    Db.update(c, "UPDATE ecash_gate_proofs SET checked = ? WHERE y = ?", clock.millis(), y);
  }

  /** True when the proof has been in its state since before {@code cutoffMillis}. */
  boolean unchangedSince(Connection c, String y, long cutoffMillis) throws SQLException {
    return Db.scalar(c, "SELECT COUNT(*) FROM ecash_gate_proofs WHERE y = ? AND updated < ?", y, cutoffMillis) == 1;
  }

  List<StoredProof> byOp(Connection c, String op) throws SQLException {
    return Db.query(c, "SELECT " + COLUMNS + " FROM ecash_gate_proofs WHERE op = ? ORDER BY amount, y",
        ProofTable::row, op);
  }

  List<StoredProof> byStatus(Connection c, ProofStatus status) throws SQLException {
    return Db.query(c, "SELECT " + COLUMNS + " FROM ecash_gate_proofs WHERE state = ? ORDER BY mint, amount",
        ProofTable::row, status.column());
  }

  long sum(Connection c, String mint, ProofStatus status) throws SQLException {
    return mint == null
        ? Db.scalar(c, "SELECT COALESCE(SUM(amount), 0) FROM ecash_gate_proofs WHERE state = ?", status.column())
        : Db.scalar(c, "SELECT COALESCE(SUM(amount), 0) FROM ecash_gate_proofs WHERE mint = ? AND state = ?", mint,
            status.column());
  }

  private static StoredProof row(ResultSet rs) throws SQLException {
    Proof p = new Proof(rs.getLong("amount"), rs.getString("keyset_id"), rs.getString("secret"), rs.getString("c"),
        dleq(rs.getString("dleq")), null);
    return new StoredProof(rs.getString("mint"), rs.getString("y"), p, ProofStatus.of(rs.getString("state")),
        rs.getString("op"));
  }

  private static String dleqColumn(Dleq d) {
    if (d == null) return null;
    try {
      return Json.mapper().writeValueAsString(d);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a DLEQ always serializes", e);
    }
  }

  private static Dleq dleq(String column) throws SQLException {
    if (column == null) return null;
    try {
      return Json.mapper().readValue(column, Dleq.class);
    } catch (JsonProcessingException e) {
      throw new SQLException("ecash_gate_proofs.dleq does not parse");
    }
  }
}
