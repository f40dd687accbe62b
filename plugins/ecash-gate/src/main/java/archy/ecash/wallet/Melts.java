package archy.ecash.wallet;

import archy.ecash.keyset.Keyset;
import archy.ecash.keyset.KeysetInfo;
import archy.ecash.mint.MeltQuote;
import archy.ecash.mint.MintClient;
import archy.ecash.mint.MintException;
import archy.ecash.mint.MintRejectedException;
import archy.ecash.mint.NutError;
import archy.ecash.mint.ProofState;
import archy.ecash.token.Proof;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * NUT-05 melts with NUT-08 change. The inputs are first made exact (a SPLIT swap when the held proofs do not add
 * up), because change only comes back on the few blank outputs NUT-08 allows for the fee reserve: an
 * overpayment beyond the reserve would be lost. The melt is journaled with its quote, inputs and blank outputs
 * before the call; an unknown outcome keeps the inputs PENDING until the quote, read again, says PAID (spent,
 * change restored) or UNPAID with the inputs unspent (released). Time alone never releases them.
 */
final class Melts {
  private final Parts w;
  private final Swaps swaps;

  Melts(Parts parts, Swaps swaps) {
    this.w = parts;
    this.swaps = swaps;
  }

  /**
   * Pays {@code bolt11} under operation {@code opId} (null: a new id). With {@code expectedAmount} (not null) the
   * melt quote must be for exactly that amount: a cross-mint transfer checks the destination's invoice this way.
   */
  Melted melt(String mint, String bolt11, long maxFeeReserve, Long expectedAmount, String opId)
      throws MintException, WalletException, SQLException {
    MintClient client = w.mints().client(mint);
    MeltQuote q = client.createMeltQuote(bolt11, Parts.UNIT);
    if (!Parts.UNIT.equals(q.unit()) || q.amount() <= 0) throw new WalletException("the melt quote is not in sat");
    if (expectedAmount != null && q.amount() != expectedAmount) {
      throw new WalletException("the melt quote is for " + q.amount() + " sat, not " + expectedAmount);
    }
    if (q.feeReserve() > maxFeeReserve) {
      throw new WalletException("the mint reserves " + q.feeReserve() + " sat for fees, above the cap of " + maxFeeReserve);
    }
    Keyset active = w.active(mint);
    long need = Math.addExact(q.amount(), q.feeReserve());
    boolean feeless = true;
    for (KeysetInfo k : w.mints().keysets(mint)) feeless &= k.inputFeePpk() == 0;
    long target = withOwnInputFee(need, active);
    Op split = swaps.split(mint, feeless ? need : -1, target);
    List<Long> blanks = new ArrayList<>();
    for (int i = 0; i < Outputs.blankCount(q.feeReserve()); i++) blanks.add(0L);
    String id = opId != null ? opId : Parts.newOpId(Op.Kind.MELT);
    Op op = w.tx(c -> {
      long first = w.journal().reserveCounters(c, active.id(), blanks.size());
      Op fresh = new Op(id, Op.Kind.MELT, client.url(), Op.State.PREPARED, new OutputPlan(active.id(), first, blanks),
          null, q.quote(), null, q.amount(), q.feeReserve(), null);
      w.journal().insert(c, fresh);
      if (w.proofs().moveAll(c, split.id(), ProofStatus.RESERVED, ProofStatus.RESERVED, id) == 0) {
        throw new Parts.Refusal("the proofs split off for the melt are gone");
      }
      return fresh;
    });
    Boundary.reached("melt-prepared");
    return finish(op);
  }

  /** {@code need} plus the input fee of the proofs that will carry it, when they come from {@code active}. */
  private static long withOwnInputFee(long need, Keyset active) {
    long target = need;
    for (int i = 0; i < 8; i++) {
      long count = active.split(target).size();
      long next = need + Math.ceilDiv(count * active.inputFeePpk(), 1000);
      if (next == target) return target;
      target = next;
    }
    return target;
  }

  Melted finish(Op op) throws MintException, WalletException, SQLException {
    if (op.state() == Op.State.DONE) return new Melted(op.id(), MeltQuote.State.PAID, op.detail(), op.amount(), 0);
    if (op.state() == Op.State.FAILED) return new Melted(op.id(), MeltQuote.State.UNPAID, null, op.amount(), 0);
    return w.leases().hold(op.id(), () -> finishHeld(op));
  }

  private Melted finishHeld(Op op) throws MintException, WalletException, SQLException {
    MintClient client = w.mints().client(op.mint());
    List<BlindedOutput> blanks = w.outputs(op.plan());
    List<Proof> inputs = new ArrayList<>();
    for (StoredProof p : w.tx(c -> w.proofs().byOp(c, op.id()))) inputs.add(p.proof());
    MeltQuote q;
    if (op.state() == Op.State.PREPARED) {
      boolean ours = w.tx(c -> {
        if (!w.journal().transition(c, op.id(), Op.State.PREPARED, Op.State.DISPATCHED, null)) return false;
        w.proofs().moveAll(c, op.id(), ProofStatus.RESERVED, ProofStatus.PENDING, op.id());
        return true;
      });
      if (!ours) return finish(w.tx(c -> w.journal().find(c, op.id()).orElseThrow()));
      Boundary.reached("melt-dispatched");
      try {
        q = client.melt(op.quote(), inputs, Outputs.messages(blanks), false);
        Boundary.reached("melt-answered");
      } catch (MintRejectedException e) {
        if (e.is(NutError.PROOFS_PENDING) || e.is(NutError.QUOTE_PENDING)) throw e;
        if (e.is(NutError.LIGHTNING_PAYMENT_FAILED)) return failedIfUnspent(op, client, inputs);
        // refused, nothing paid; after a keyset rotation (our blanks on the old keyset) the next melt plans anew
        if (e.is(NutError.KEYSET_UNKNOWN) || e.is(NutError.KEYSET_INACTIVE)) w.mints().forgetKeysets(op.mint());
        release(op, "rejected: " + e.getMessage());
        throw e;
      }
    } else {
      q = client.meltQuote(op.quote());
    }
    return switch (q.state()) {
      case PAID -> paid(op, client, q, blanks, inputs);
      case UNPAID -> failedIfUnspent(op, client, inputs);
      case PENDING, UNKNOWN -> new Melted(op.id(), q.state(), null, op.amount(), 0);
    };
  }

  private Melted paid(Op op, MintClient client, MeltQuote q, List<BlindedOutput> blanks, List<Proof> inputs)
      throws MintException, WalletException, SQLException {
    Keyset keyset = w.keyset(op.mint(), op.plan());
    List<Proof> change;
    try {
      // change on the answer when there is one; otherwise (a recovered melt) the mint re-signs our blanks
      change = !q.change().isEmpty() ? Outputs.unblindChange(blanks, q.change(), keyset)
          : blanks.isEmpty() ? List.of() : Swaps.restore(client, blanks, keyset);
    } catch (InvalidSignatureException e) {
      throw new WalletException("the mint's change signatures do not verify: " + e.getMessage());
    }
    long in = 0;
    long back = 0;
    for (Proof p : inputs) in += p.amount();
    for (Proof p : change) back += p.amount();
    long fee = in - op.amount() - back;
    w.db().tx(c -> {
      if (w.journal().transition(c, op.id(), Op.State.DISPATCHED, Op.State.DONE, q.paymentPreimage())) {
        w.journal().fee(c, op.id(), fee); // the reserve was an upper bound; this is what it cost
        w.proofs().moveAll(c, op.id(), ProofStatus.PENDING, ProofStatus.SPENT, op.id());
        for (Proof p : change) w.proofs().insert(c, op.mint(), p, ProofStatus.UNSPENT, null);
      }
      return null;
    });
    return new Melted(op.id(), MeltQuote.State.PAID, q.paymentPreimage(), op.amount(), fee);
  }

  /** The payment failed: release the inputs once the mint confirms they are unspent (NUT-07), else keep waiting. */
  private Melted failedIfUnspent(Op op, MintClient client, List<Proof> inputs)
      throws MintException, SQLException {
    for (ProofState s : client.checkProofs(inputs)) {
      if (s.state() != ProofState.State.UNSPENT) {
        return new Melted(op.id(), MeltQuote.State.PENDING, null, op.amount(), 0);
      }
    }
    release(op, "lightning payment failed");
    return new Melted(op.id(), MeltQuote.State.UNPAID, null, op.amount(), 0);
  }

  private void release(Op op, String why) throws SQLException {
    w.db().tx(c -> {
      if (w.journal().transition(c, op.id(), Op.State.DISPATCHED, Op.State.FAILED, why)) {
        w.proofs().moveAll(c, op.id(), ProofStatus.PENDING, ProofStatus.UNSPENT, null);
      }
      return null;
    });
  }
}
