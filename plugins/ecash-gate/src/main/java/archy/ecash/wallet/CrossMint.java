package archy.ecash.wallet;

import archy.ecash.Db;
import archy.ecash.lightning.Bolt11;
import archy.ecash.mint.MeltQuote;
import archy.ecash.mint.MintException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * Moves value from mint A to mint B over Lightning by the mints' own quotes (PROTOCOLS.md §6): a NUT-20 locked
 * mint quote at B, a melt at A paying B's invoice, then minting at B. Each step is written down before it is
 * taken: the transfer row names its two operations before either exists, the melt and the mint are journaled
 * operations of their own (inputs, quote, outputs), and the transfer's state moves to PAYING before A is asked to
 * pay. {@link #resume} walks an interrupted transfer from the destination first (B's quote paid proves A paid),
 * then the source (the melt quote read again), so nothing is paid twice and nothing paid is left behind. The
 * transfer's lease is held while it runs, so a resume elsewhere leaves a live transfer alone.
 */
final class CrossMint {
  private final Parts w;
  private final Melts melts;
  private final Minting minting;
  private final PairStats stats;

  CrossMint(Parts parts, Melts melts, Minting minting, PairStats stats) {
    this.w = parts;
    this.melts = melts;
    this.minting = minting;
    this.stats = stats;
  }

  Transfer transfer(String source, String target, long amount, long maxFee)
      throws MintException, WalletException, SQLException {
    String a = w.mints().client(source).url();
    String b = w.mints().client(target).url();
    if (a.equals(b)) throw new WalletException("source and target are the same mint");
    if (amount <= 0 || maxFee < 0) throw new WalletException("amount must be positive and the fee cap not negative");
    if (!stats.usable(a, b)) throw new WalletException("transfers from " + a + " to " + b + " failed repeatedly; paused");
    String id = "transfer-" + UUID.randomUUID();
    Transfer t = new Transfer(id, a, b, amount, maxFee, id + "-mint", id + "-melt", Transfer.State.PLANNED, 0, null);
    w.db().tx(c -> {
      insert(c, t);
      return null;
    });
    return w.leases().hold(t.id(), () -> run(t)); // its row is its record in PairStats
  }

  private Transfer run(Transfer t) throws MintException, WalletException, SQLException {
    Boundary.reached("transfer-planned");
    MintInvoice invoice;
    try {
      invoice = minting.request(t.target(), t.amount(), t.mintOp());
    } catch (MintException e) {
      move(t, Transfer.State.FAILED, 0, "the target mint did not answer: " + e.getMessage()); // nothing to pay yet
      throw e;
    }
    Long invoiced;
    try {
      invoiced = Bolt11.decode(invoice.bolt11()).amountSat();
    } catch (IllegalArgumentException e) {
      return move(t, Transfer.State.FAILED, 0, "the target's invoice does not decode");
    }
    // a target may invoice more than it quoted: compare with what we mean to move, not with A's melt quote
    if (invoiced == null || invoiced != t.amount()) {
      return move(t, Transfer.State.FAILED, 0, "the target invoiced " + invoiced + " sat, not " + t.amount());
    }
    move(t, Transfer.State.QUOTED, 0, null);
    move(t, Transfer.State.PAYING, 0, null);
    Boundary.reached("transfer-paying");
    Melted melted;
    try {
      melted = melts.melt(t.source(), invoice.bolt11(), t.maxFee(), t.amount(), t.meltOp());
    } catch (WalletException refused) {
      return move(t, Transfer.State.FAILED, 0, refused.getMessage()); // nothing was dispatched
    } catch (MintException e) {
      // before the melt is journaled A was never asked to pay: the transfer is over, nothing left pending
      if (w.db().tx(c -> w.journal().find(c, t.meltOp())).isEmpty()) {
        move(t, Transfer.State.FAILED, 0, "the source mint did not answer: " + e.getMessage());
      }
      throw e;
    }
    return afterMelt(t, melted);
  }

  /** Finishes an interrupted transfer as far as the mints allow now. */
  Transfer resume(Transfer t) throws MintException, WalletException, SQLException {
    if (!t.state().open()) return t;
    return w.leases().hold(t.id(), () -> {
      Transfer now = find(t.id()).orElseThrow(); // read under the lease: the live worker may just have moved it
      return now.state().open() ? resumeHeld(now) : now;
    });
  }

  private Transfer resumeHeld(Transfer t) throws MintException, WalletException, SQLException {
    Optional<Op> mintOp = w.db().tx(c -> w.journal().find(c, t.mintOp()));
    Optional<Op> meltOp = w.db().tx(c -> w.journal().find(c, t.meltOp()));
    if (mintOp.isPresent() && mintOp.get().state() == Op.State.DONE) return completed(t, meltOp);
    if (meltOp.isEmpty()) {
      // the melt was never journaled, so A was never asked to pay; an orphan quote at B expires unpaid
      return move(t, Transfer.State.FAILED, 0, "interrupted before paying");
    }
    if (mintOp.isPresent() && minting.complete(mintOp.get()).state() == Op.State.DONE) return completed(t, meltOp);
    return afterMelt(t, melts.finish(meltOp.get()));
  }

  private Transfer afterMelt(Transfer t, Melted melted) throws MintException, WalletException, SQLException {
    return switch (melted.state()) {
      case UNPAID -> move(t, Transfer.State.FAILED, 0, "the source's Lightning payment failed");
      case PENDING, UNKNOWN -> t.state() == Transfer.State.PAYING ? t : move(t, Transfer.State.PAYING, 0, null);
      case PAID -> {
        Transfer funded = move(t, Transfer.State.FUNDED, melted.feePaid(), null);
        Boundary.reached("transfer-funded");
        Op mintOp = w.tx(c -> w.journal().find(c, t.mintOp()).orElseThrow(() -> new Parts.Refusal("mint op lost")));
        Op after = minting.complete(mintOp);
        yield after.state() == Op.State.DONE ? move(funded, Transfer.State.COMPLETED, melted.feePaid(), null) : funded;
      }
    };
  }

  /** The value is at B; settle A's side too (inputs spent, change restored) when its melt is still open. */
  private Transfer completed(Transfer t, Optional<Op> meltOp) throws MintException, WalletException, SQLException {
    long fee = t.fee();
    if (meltOp.isPresent() && meltOp.get().state().open()) {
      Melted m = melts.finish(meltOp.get());
      if (m.state() == MeltQuote.State.PAID) fee = m.feePaid();
    } else if (fee == 0 && meltOp.isPresent()) {
      fee = meltOp.get().fee(); // the reserve: an upper bound, the change is not known here
    }
    return move(t, Transfer.State.COMPLETED, fee, null);
  }

  List<Transfer> open() throws SQLException {
    return w.db().tx(c -> Db.query(c, "SELECT * FROM ecash_gate_transfers WHERE state NOT IN ('completed', 'failed') "
        + "ORDER BY created", CrossMint::row));
  }

  Optional<Transfer> find(String id) throws SQLException {
    return w.db().tx(c -> Db.one(c, "SELECT * FROM ecash_gate_transfers WHERE id = ?", CrossMint::row, id));
  }

  /**
   * Moves the transfer on. A failed one (A did not pay: never asked, or its melt confirmed unpaid) also closes
   * B's mint operation while B's quote was never minted, so nothing is left pending waiting for an invoice that
   * nobody will pay.
   */
  private Transfer move(Transfer t, Transfer.State to, long fee, String why) throws SQLException {
    w.db().tx(c -> {
      Db.update(c, "UPDATE ecash_gate_transfers SET state = ?, fee = ?, detail = ?, updated = ? "
          + "WHERE id = ? AND state NOT IN ('completed', 'failed')", to.column(), fee, why, w.clock().millis(), t.id());
      if (to == Transfer.State.FAILED) {
        Db.update(c, "UPDATE ecash_gate_ops SET state = 'failed', detail = 'its transfer failed', updated = ? "
            + "WHERE id = ? AND state = 'prepared' AND keyset_id IS NULL", w.clock().millis(), t.mintOp());
      }
      return null;
    });
    return t.with(to, fee, why);
  }

  private void insert(Connection c, Transfer t) throws SQLException {
    long now = w.clock().millis();
    Db.update(c, "INSERT INTO ecash_gate_transfers (id, source, target, amount, max_fee, mint_op, melt_op, state, fee, "
            + "detail, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, NULL, ?, ?)", t.id(), t.source(), t.target(),
        t.amount(), t.maxFee(), t.mintOp(), t.meltOp(), t.state().column(), now, now);
  }

  private static Transfer row(ResultSet rs) throws SQLException {
    return new Transfer(rs.getString("id"), rs.getString("source"), rs.getString("target"), rs.getLong("amount"),
        rs.getLong("max_fee"), rs.getString("mint_op"), rs.getString("melt_op"),
        Transfer.State.valueOf(rs.getString("state").toUpperCase(Locale.ROOT)), rs.getLong("fee"), rs.getString("detail"));
  }
}
