package archy.ecash.wallet;

import archy.ecash.crypto.Scalar;
import archy.ecash.keyset.Keyset;
import archy.ecash.mint.MintClient;
import archy.ecash.mint.MintException;
import archy.ecash.mint.MintQuote;
import archy.ecash.mint.MintRejectedException;
import archy.ecash.mint.NutError;
import archy.ecash.token.Proof;
import java.sql.SQLException;
import java.util.List;

/**
 * NUT-04 minting with NUT-20 locked quotes: each quote gets a fresh key, so knowing the quote id is not enough to
 * take the ecash. The outputs are journaled (counters reserved) before the mint call; a lost answer is recovered
 * by sending the same request again (NUT-19 replays it) or, once the mint says 20002 "already issued" or 11003
 * "outputs already signed", by NUT-09 restore of those outputs. New outputs are never made for a quote that may
 * have been issued.
 */
final class Minting {
  private final Parts w;

  Minting(Parts parts) {
    this.w = parts;
  }

  MintInvoice request(String mint, long amount) throws MintException, WalletException, SQLException {
    return request(mint, amount, null);
  }

  /** As {@link #request(String, long)}, journaled under {@code opId} (null: a new id). */
  MintInvoice request(String mint, long amount, String opId) throws MintException, WalletException, SQLException {
    if (amount <= 0) throw new WalletException("amount must be positive");
    MintClient client = w.mints().client(mint);
    Scalar key = Scalar.random();
    MintQuote q = client.createMintQuote(amount, Parts.UNIT, null, key.publicKey());
    if (q.amount() != null && q.amount() != amount) throw new WalletException("the mint quoted another amount");
    String id = opId != null ? opId : Parts.newOpId(Op.Kind.MINT);
    w.tx(c -> w.journal().insert(c, new Op(id, Op.Kind.MINT, client.url(), Op.State.PREPARED, null, null, q.quote(),
        key.toHex(), amount, 0, null)));
    return new MintInvoice(id, client.url(), q.request(), amount, q.expiry());
  }

  /** Mints a paid quote; returns the operation, still PREPARED when the invoice is not paid yet. */
  Op complete(Op op) throws MintException, WalletException, SQLException {
    if (!op.state().open()) return op;
    return w.leases().hold(op.id(), () -> completeHeld(op));
  }

  private Op completeHeld(Op op) throws MintException, WalletException, SQLException {
    MintClient client = w.mints().client(op.mint());
    if (op.plan() == null) {
      MintQuote q = client.mintQuote(op.quote());
      if (q.state() != MintQuote.State.PAID && q.mintable() < op.amount()) {
        if (q.state() == MintQuote.State.UNPAID && q.expiry() != null
            && q.expiry() < w.clock().instant().getEpochSecond()) {
          // never paid and no longer payable: close it, so sweeps stop asking
          w.tx(c -> w.journal().transition(c, op.id(), Op.State.PREPARED, Op.State.FAILED, "quote expired unpaid"));
          return op.withState(Op.State.FAILED, "quote expired unpaid");
        }
        return op;
      }
      Keyset active = w.active(op.mint());
      List<Long> amounts = Parts.amounts(active, op.amount(), 0);
      OutputPlan plan = w.tx(c -> {
        Op now = w.journal().find(c, op.id()).orElseThrow();
        if (now.plan() != null) return now.plan(); // another worker planned it first
        OutputPlan p = new OutputPlan(active.id(), w.journal().reserveCounters(c, active.id(), amounts.size()), amounts);
        w.journal().setPlan(c, op.id(), p);
        return p;
      });
      return complete(op.withPlan(plan));
    }
    if (op.state() == Op.State.PREPARED) {
      w.tx(c -> w.journal().transition(c, op.id(), Op.State.PREPARED, Op.State.DISPATCHED, null));
    }
    Boundary.reached("mint-dispatched");
    return issue(op, client, true);
  }

  /**
   * One mint call with the operation's outputs. Outputs the mint refuses as such (12001/12002 after a keyset
   * rotation; 11003 while the quote is not issued, after a rewound counter) are planned again and sent once more.
   */
  private Op issue(Op op, MintClient client, boolean mayReplan) throws MintException, WalletException, SQLException {
    Keyset keyset = w.keyset(op.mint(), op.plan());
    List<BlindedOutput> outputs = w.outputs(op.plan());
    List<Proof> proofs;
    try {
      proofs = Outputs.unblind(outputs, client.mint(op.quote(), Outputs.messages(outputs), Scalar.fromHex(op.quoteKey())),
          keyset);
    } catch (MintRejectedException e) {
      boolean ourOutputs = e.is(NutError.KEYSET_UNKNOWN) || e.is(NutError.KEYSET_INACTIVE)
          || (e.is(NutError.OUTPUTS_ALREADY_SIGNED) && client.mintQuote(op.quote()).state() != MintQuote.State.ISSUED);
      if (ourOutputs && mayReplan) {
        return issue(op.withPlan(w.replan(op, active -> Parts.amounts(active, op.amount(), 0))), client, false);
      }
      if (!ourOutputs && (e.is(NutError.QUOTE_ALREADY_ISSUED) || e.is(NutError.OUTPUTS_ALREADY_SIGNED))) {
        proofs = Swaps.restore(client, outputs, keyset);
        if (proofs.size() != outputs.size()) throw e;
      } else if (e.is(NutError.QUOTE_EXPIRED)) {
        w.tx(c -> w.journal().transition(c, op.id(), Op.State.DISPATCHED, Op.State.FAILED, "quote expired"));
        throw e;
      } else {
        // the mint said no, so nothing was issued: the same outputs can be sent again later
        w.tx(c -> w.journal().transition(c, op.id(), Op.State.DISPATCHED, Op.State.PREPARED, null));
        throw e;
      }
    } catch (InvalidSignatureException e) {
      throw new WalletException("the mint's signatures do not verify: " + e.getMessage());
    }
    Boundary.reached("mint-answered");
    List<Proof> minted = proofs;
    return w.tx(c -> {
      if (w.journal().transition(c, op.id(), Op.State.DISPATCHED, Op.State.DONE, null)) {
        for (Proof p : minted) w.proofs().insert(c, op.mint(), p, ProofStatus.UNSPENT, null);
      }
      return op.withState(Op.State.DONE, null);
    });
  }
}
