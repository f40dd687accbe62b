package archy.ecash.wallet;

import archy.ecash.Db;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Read-only views of the wallet for people ({@code archy wallet balance|pending|history}): what is held per mint,
 * what is not finished and what it waits for, and what happened. Never a secret, token or quote id.
 */
public final class WalletViews {
  private final Parts w;

  WalletViews(Parts parts) {
    this.w = parts;
  }

  /** Sats at one mint: spendable, pending (in a mint call or handed out unclaimed) and reserved for an operation. */
  public record Holding(String mint, long balance, long pending, long reserved) {}

  /** An operation or transfer not finished, or a token handed out and not yet claimed. */
  public record Pending(String id, String type, String mint, long amount, String state, String waitingFor) {}

  /**
   * One thing that happened: {@code type} is mint, receive, send, payment, melt or swap; {@code mint} the mint it
   * happened at (a swap's source), {@code to} a swap's target; {@code fee} the mint's input fee, a melt's Lightning
   * fee reserve, or a swap's cost.
   */
  public record Entry(String id, String type, String mint, String to, long amount, long fee, Instant at, String note) {}

  List<Holding> holdings() throws SQLException {
    return w.db().tx(c -> {
      Set<String> mints = new LinkedHashSet<>(w.mints().urls());
      mints.addAll(Db.query(c, "SELECT DISTINCT mint FROM ecash_gate_proofs ORDER BY mint", rs -> rs.getString(1)));
      List<Holding> out = new ArrayList<>();
      for (String m : mints) {
        out.add(new Holding(m, w.proofs().sum(c, m, ProofStatus.UNSPENT), w.proofs().sum(c, m, ProofStatus.PENDING),
            w.proofs().sum(c, m, ProofStatus.RESERVED)));
      }
      return out;
    });
  }

  List<Pending> pending() throws SQLException {
    return w.db().tx(c -> {
      List<Pending> out = new ArrayList<>(Db.query(c, "SELECT id, source, amount, state FROM ecash_gate_transfers "
          + "WHERE state NOT IN ('completed', 'failed') ORDER BY created", rs -> new Pending(rs.getString(1), "swap",
          rs.getString(2), rs.getLong(3), rs.getString(4), switch (rs.getString(4)) {
            case "paying" -> "the source mint's Lightning payment (resume reads it again)";
            case "funded" -> "minting at the target (resume finishes it)";
            default -> "nothing sent yet (resume closes it)";
          })));
      out.addAll(Db.query(c, "SELECT id, kind, mint, amount, state, keyset_id FROM ecash_gate_ops "
          + "WHERE state IN ('prepared', 'dispatched') AND id NOT LIKE 'transfer-%' ORDER BY created",
          rs -> new Pending(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getString(5),
              waitingFor(rs.getString(2), rs.getString(5), rs.getString(6) != null))));
      out.addAll(Db.query(c, "SELECT op, mint, SUM(amount) FROM ecash_gate_proofs WHERE state = 'pending' "
          + "AND op LIKE 'send-%' GROUP BY op, mint ORDER BY MIN(updated)", rs -> new Pending(rs.getString(1), "send",
          rs.getString(2), rs.getLong(3), "handed out", "the receiver to claim the token (taken back if unclaimed)")));
      return out;
    });
  }

  private static String waitingFor(String kind, String state, boolean planned) {
    if (kind.equals("mint") && state.equals("prepared") && !planned) return "the invoice to be paid";
    if (kind.equals("melt") && state.equals("dispatched")) return "the Lightning payment";
    if (state.equals("dispatched")) return "the mint's answer (resume asks again)";
    return "dispatch (resume sends or abandons it)";
  }

  /** Newest first; at most {@code limit}. Steps inside a swap or a melt (splits, its mint and melt) are its own. */
  List<Entry> history(int limit) throws SQLException {
    return w.db().tx(c -> {
      List<Entry> out = new ArrayList<>(Db.query(c, "SELECT id, source, target, amount, fee, updated FROM "
          + "ecash_gate_transfers WHERE state = 'completed' ORDER BY updated DESC LIMIT " + limit,
          rs -> new Entry(rs.getString(1), "swap", rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5),
              Instant.ofEpochMilli(rs.getLong(6)), null)));
      out.addAll(Db.query(c, "SELECT id, kind, mint, amount, fee, updated, note FROM ecash_gate_ops WHERE state = 'done' "
          + "AND kind <> 'split' AND id NOT LIKE 'transfer-%' ORDER BY updated DESC LIMIT " + limit, rs -> {
            String type = rs.getString(2);
            String note = rs.getString(7);
            if (type.equals("send") && note != null && note.startsWith("payment")) type = "payment";
            return new Entry(rs.getString(1), type, rs.getString(3), null, rs.getLong(4), rs.getLong(5),
                Instant.ofEpochMilli(rs.getLong(6)), note);
          }));
      out.sort((x, y) -> y.at().compareTo(x.at()));
      return out.size() > limit ? out.subList(0, limit) : out;
    });
  }
}
