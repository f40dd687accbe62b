package archy.ecash.wallet;

import archy.ecash.Db;
import archy.ecash.encoding.Json;
import archy.ecash.token.Proof;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The write-ahead journal of wallet operations ({@code ecash_gate_ops}) and the NUT-13 counters
 * ({@code ecash_gate_counters}). Every method runs inside the caller's transaction, so an operation, its counter
 * range and its proof reservations commit together.
 */
final class Journal {
  private static final TypeReference<List<Proof>> PROOFS = new TypeReference<>() {};
  private static final String COLUMNS =
      "id, kind, mint, state, keyset_id, counter, amounts, inputs, quote, quote_key, amount, fee, detail";

  private final Clock clock;

  Journal(Clock clock) {
    this.clock = clock;
  }

  /**
   * Reserves {@code count} counters of a keyset and returns the first. The row only ever grows, and the range
   * is committed with the operation that uses it before any mint call, so no counter is ever used twice: a
   * reused counter makes outputs the mint has already signed (11003), and their value is lost.
   */
  long reserveCounters(Connection c, String keysetId, int count) throws SQLException {
    Db.update(c, "INSERT INTO ecash_gate_counters (keyset_id, next) VALUES (?, 0) ON CONFLICT (keyset_id) DO NOTHING",
        keysetId);
    Db.update(c, "UPDATE ecash_gate_counters SET next = next + ? WHERE keyset_id = ?", (long) count, keysetId);
    return Db.scalar(c, "SELECT next FROM ecash_gate_counters WHERE keyset_id = ?", keysetId) - count;
  }

  /** The next unused counter of a keyset (0 when none was used). */
  long nextCounter(Connection c, String keysetId) throws SQLException {
    return Db.scalar(c, "SELECT next FROM ecash_gate_counters WHERE keyset_id = ?", keysetId);
  }

  /** Inserts the operation; false when one with this id exists already. */
  boolean insert(Connection c, Op op) throws SQLException {
    long now = clock.millis();
    OutputPlan p = op.plan();
    return Db.update(c, "INSERT INTO ecash_gate_ops (" + COLUMNS + ", created, updated) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
        op.id(), op.kind().column(), op.mint(), op.state().column(), p == null ? null : p.keysetId(),
        p == null ? null : p.firstCounter(), p == null ? null : p.amountsColumn(), inputsColumn(op.inputs()),
        op.quote(), op.quoteKey(), op.amount(), op.fee(), op.detail(), now, now) == 1;
  }

  Optional<Op> find(Connection c, String id) throws SQLException {
    return Db.one(c, "SELECT " + COLUMNS + " FROM ecash_gate_ops WHERE id = ?", Journal::op, id);
  }

  /** Operations still open (prepared or dispatched) and untouched since {@code beforeMillis}. */
  List<Op> open(Connection c, long beforeMillis) throws SQLException {
    return Db.query(c, "SELECT " + COLUMNS + " FROM ecash_gate_ops WHERE state IN ('prepared', 'dispatched') "
        + "AND updated < ? ORDER BY updated", Journal::op, beforeMillis);
  }

  void setPlan(Connection c, String id, OutputPlan p) throws SQLException {
    Db.update(c, "UPDATE ecash_gate_ops SET keyset_id = ?, counter = ?, amounts = ?, updated = ? WHERE id = ?",
        p.keysetId(), p.firstCounter(), p.amountsColumn(), clock.millis(), id);
  }

  /**
   * Moves an operation from {@code from} to {@code to}; false when it was not in {@code from} (another process
   * moved it first), so two workers never both dispatch or both finish one operation.
   */
  boolean transition(Connection c, String id, Op.State from, Op.State to, String detail) throws SQLException {
    return Db.update(c, "UPDATE ecash_gate_ops SET state = ?, detail = ?, updated = ? WHERE id = ? AND state = ?",
        to.column(), detail, clock.millis(), id, from.column()) == 1;
  }

  /** The fee an operation turned out to cost (a melt's, once its change is known). */
  void fee(Connection c, String id, long fee) throws SQLException {
    Db.update(c, "UPDATE ecash_gate_ops SET fee = ? WHERE id = ?", fee, id);
  }

  /** What the operation was for, as {@code archy wallet history} shows it (never a secret). */
  void note(Connection c, String id, String note) throws SQLException {
    Db.update(c, "UPDATE ecash_gate_ops SET note = ? WHERE id = ?", note, id);
  }

  /** Marks an open operation as touched, so sweepers leave it alone for another grace period. */
  void touch(Connection c, String id) throws SQLException {
    Db.update(c, "UPDATE ecash_gate_ops SET updated = ? WHERE id = ?", clock.millis(), id);
  }

  private static Op op(ResultSet rs) throws SQLException {
    String keyset = rs.getString("keyset_id");
    OutputPlan plan = keyset == null ? null
        : new OutputPlan(keyset, rs.getLong("counter"), OutputPlan.parseAmounts(rs.getString("amounts")));
    return new Op(rs.getString("id"), Op.Kind.valueOf(rs.getString("kind").toUpperCase(Locale.ROOT)),
        rs.getString("mint"), Op.State.valueOf(rs.getString("state").toUpperCase(Locale.ROOT)), plan,
        inputs(rs.getString("inputs")), rs.getString("quote"), rs.getString("quote_key"), rs.getLong("amount"),
        rs.getLong("fee"), rs.getString("detail"));
  }

  private static String inputsColumn(List<Proof> inputs) {
    if (inputs.isEmpty()) return null;
    try {
      return Json.mapper().writeValueAsString(inputs);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("proofs always serialize", e);
    }
  }

  private static List<Proof> inputs(String column) throws SQLException {
    if (column == null) return List.of();
    try {
      return Json.mapper().readValue(column, PROOFS);
    } catch (JsonProcessingException e) {
      throw new SQLException("ecash_gate_ops.inputs does not parse");
    }
  }
}
