package archy.ecash.wallet;

import archy.ecash.keyset.Fees;
import archy.ecash.keyset.Keyset;
import archy.ecash.keyset.KeysetInfo;
import archy.ecash.mint.MintClient;
import archy.ecash.mint.MintException;
import archy.ecash.mint.MintRejectedException;
import archy.ecash.mint.MintProtocolException;
import archy.ecash.mint.NutError;
import archy.ecash.mint.ProofState;
import archy.ecash.mint.Restored;
import archy.ecash.token.Proof;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The operations that go through {@code POST /v1/swap}: receiving a token, sending an exact amount, and
 * splitting off an exact amount for a melt. Each is journaled with its outputs before the call; {@link #finish}
 * dispatches a prepared operation or completes one whose answer was lost, by calling again with the very same
 * inputs and outputs (a mint with NUT-19 replays its answer) and, when the mint says the inputs are spent or the
 * outputs signed, by NUT-09 restore of those outputs.
 */
final class Swaps {
  private static final int MAX_ATTEMPTS = 20;

  private final Parts w;

  Swaps(Parts parts) {
    this.w = parts;
  }

  /**
   * Journals the receipt of {@code proofs} (full keyset ids, from an allow-listed mint) under {@code opId}, or
   * finds the operation already journaled under that id, and finishes it.
   */
  Op receive(String opId, String mint, List<Proof> proofs)
      throws MintException, WalletException, SQLException {
    Map<String, KeysetInfo> keysets = w.mints().keysetsById(mint);
    Keyset active = w.active(mint);
    long gross = 0;
    List<String> ids = new ArrayList<>(proofs.size());
    for (Proof p : proofs) {
      gross = Math.addExact(gross, p.amount());
      ids.add(p.id());
    }
    long fee;
    try {
      fee = Fees.inputFee(ids, keysets);
    } catch (IllegalArgumentException unknownKeyset) {
      throw new WalletException("a proof names a keyset the mint does not have");
    }
    long net = gross - fee;
    if (net <= 0) throw new WalletException("the token is worth " + gross + " sat, not more than the mint's input fee");
    long amount = gross;
    Op op = w.tx(c -> {
      var existing = w.journal().find(c, opId);
      if (existing.isPresent()) return existing.get();
      List<Long> amounts = Parts.amounts(active, net, 0);
      long first = w.journal().reserveCounters(c, active.id(), amounts.size());
      Op fresh = new Op(opId, Op.Kind.RECEIVE, mint, Op.State.PREPARED, new OutputPlan(active.id(), first, amounts),
          proofs, null, null, amount, fee, null);
      w.journal().insert(c, fresh);
      return fresh;
    });
    return finish(op);
  }

  /**
   * Takes back proofs handed out under the send {@code sendOp} that nobody claimed: they are swapped into fresh
   * outputs of ours as a receive would (so a receiver who claims them later finds them spent). The proofs move
   * to the new operation in the transaction that journals it, so of two sweepers only one reclaims them.
   *
   * @return the finished operation, or null when the proofs were claimed or taken meanwhile
   */
  Op reclaim(String sendOp, String mint, List<StoredProof> held) throws MintException, WalletException, SQLException {
    List<Proof> proofs = held.stream().map(StoredProof::proof).toList();
    Keyset active = w.active(mint);
    long gross = 0;
    for (Proof p : proofs) gross = Math.addExact(gross, p.amount());
    long fee;
    try {
      fee = Fees.inputFee(proofs.stream().map(Proof::id).toList(), w.mints().keysetsById(mint));
    } catch (IllegalArgumentException keysetGone) {
      return null;
    }
    if (gross - fee <= 0) return null; // worth less than the fee to take back: leave it to the receiver
    long amount = gross;
    String id = Parts.newOpId(Op.Kind.RECEIVE);
    Op op = w.tx(c -> {
      for (StoredProof p : held) if (!w.proofs().adopt(c, p.y(), sendOp, id)) throw new Parts.Conflict();
      List<Long> amounts = Parts.amounts(active, amount - fee, 0);
      long first = w.journal().reserveCounters(c, active.id(), amounts.size());
      Op fresh = new Op(id, Op.Kind.RECEIVE, mint, Op.State.PREPARED, new OutputPlan(active.id(), first, amounts),
          proofs, null, null, amount, fee, null);
      w.journal().insert(c, fresh);
      w.journal().note(c, id, "reclaimed an unclaimed token");
      return fresh;
    });
    return op == null ? null : finish(op);
  }

  /**
   * Reserves proofs worth {@code amount} and journals a SEND (handed out as they are when they add up exactly,
   * else swapped into the amount plus change). Returns the finished operation; its token proofs are the ones
   * left PENDING under its id.
   */
  Op send(String mint, long amount) throws MintException, WalletException, SQLException {
    return reserveExact(Op.Kind.SEND, mint, amount, amount, amount);
  }

  /**
   * Proofs worth exactly {@code amount}, reserved under the returned operation's id (a SPLIT, done), for a melt
   * to adopt. {@code exactTarget} may be -1 when the proofs must also pay their own input fee.
   */
  Op split(String mint, long exactTarget, long amount) throws MintException, WalletException, SQLException {
    return reserveExact(Op.Kind.SPLIT, mint, exactTarget, amount, amount);
  }

  private Op reserveExact(Op.Kind kind, String mint, long exactTarget, long coverTarget, long amount)
      throws MintException, WalletException, SQLException {
    if (amount <= 0) throw new WalletException("amount must be positive");
    Map<String, KeysetInfo> keysets = w.mints().keysetsById(mint);
    Keyset active = w.active(mint);
    Op op = null;
    // A proof chosen here may be moved by another process between our read and our update; the conditional
    // update notices, and we choose again from what is left, after a short random pause so racing choosers part.
    for (int attempt = 1; op == null; attempt++) {
      op = tryReserve(kind, mint, exactTarget, coverTarget, amount, keysets, active, attempt < MAX_ATTEMPTS);
      if (op == null) pause();
    }
    return finish(op);
  }

  private Op tryReserve(Op.Kind kind, String mint, long exactTarget, long coverTarget, long amount,
                        Map<String, KeysetInfo> keysets, Keyset active, boolean mayRetry)
      throws SQLException, WalletException {
    String opId = Parts.newOpId(kind);
    return w.tx(c -> {
      Selection sel = Selection.choose(shuffleEqualAmounts(w.proofs().selectUnspent(c, mint)), exactTarget,
          coverTarget, keysets);
      if (sel == null) throw new Parts.Refusal("insufficient funds at the mint for " + amount + " sat");
      for (StoredProof p : sel.proofs()) {
        if (!w.proofs().move(c, p.y(), ProofStatus.UNSPENT, ProofStatus.RESERVED, opId)) {
          if (mayRetry) throw new Parts.Conflict();
          throw new Parts.Refusal("proofs keep being taken by other operations; try again");
        }
      }
      if (sel.exact()) {
        // nothing to swap: a send hands the proofs out, a split keeps them reserved for its melt
        if (kind == Op.Kind.SEND) w.proofs().moveAll(c, opId, ProofStatus.RESERVED, ProofStatus.PENDING, opId);
        Op done = new Op(opId, kind, mint, Op.State.DONE, null, null, null, null, amount, 0, null);
        w.journal().insert(c, done);
        return done;
      }
      long change = sel.total() - sel.inputFee() - amount;
      List<Long> amounts = Parts.amounts(active, amount, change);
      long first = w.journal().reserveCounters(c, active.id(), amounts.size());
      Op fresh = new Op(opId, kind, mint, Op.State.PREPARED, new OutputPlan(active.id(), first, amounts), null, null,
          null, amount, sel.inputFee(), null);
      w.journal().insert(c, fresh);
      return fresh;
    });
  }

  /**
   * The proofs in random order among equal amounts: choosers in other threads and processes then rarely reach for
   * the same proof, and selection stays largest first.
   */
  private static List<StoredProof> shuffleEqualAmounts(List<StoredProof> largestFirst) {
    List<StoredProof> out = new ArrayList<>(largestFirst.size());
    int i = 0;
    while (i < largestFirst.size()) {
      int j = i;
      while (j < largestFirst.size() && largestFirst.get(j).amount() == largestFirst.get(i).amount()) j++;
      List<StoredProof> same = new ArrayList<>(largestFirst.subList(i, j));
      Collections.shuffle(same, ThreadLocalRandom.current());
      out.addAll(same);
      i = j;
    }
    return out;
  }

  private static void pause() throws WalletException {
    try {
      Thread.sleep(ThreadLocalRandom.current().nextInt(1, 10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WalletException("interrupted while choosing proofs");
    }
  }

  /** Dispatches or recovers a swap operation; returns it DONE, or throws with it left as the mint's answer says. */
  Op finish(Op op) throws MintException, WalletException, SQLException {
    if (!op.state().open()) return op;
    return w.leases().hold(op.id(), () -> finishHeld(op));
  }

  private Op finishHeld(Op op) throws MintException, WalletException, SQLException {
    MintClient client = w.mints().client(op.mint());
    List<Proof> inputs = inputs(op);
    if (op.state() == Op.State.PREPARED) {
      boolean ours = w.tx(c -> {
        if (!w.journal().transition(c, op.id(), Op.State.PREPARED, Op.State.DISPATCHED, null)) return false;
        w.proofs().moveAll(c, op.id(), ProofStatus.RESERVED, ProofStatus.PENDING, op.id());
        return true;
      });
      if (!ours) return reloadAndFinish(op);
    }
    return swap(op, client, inputs, true);
  }

  /**
   * One swap call with the operation's outputs. When the mint refuses our outputs rather than the inputs (12001 or
   * 12002 once it rotated its keyset; 11003 while the inputs are still unspent, after a rewound counter), the
   * outputs are planned again and the swap is tried once more: a refusal of our outputs is never a refusal of the
   * inputs, which for a receive are a customer's token.
   */
  private Op swap(Op op, MintClient client, List<Proof> inputs, boolean mayReplan)
      throws MintException, WalletException, SQLException {
    Keyset keyset = w.keyset(op.mint(), op.plan());
    List<BlindedOutput> outputs = w.outputs(op.plan());
    try {
      return complete(op, Outputs.unblind(outputs, client.swap(inputs, Outputs.messages(outputs)), keyset));
    } catch (MintRejectedException e) {
      if (e.is(NutError.KEYSET_UNKNOWN) || e.is(NutError.KEYSET_INACTIVE)) {
        w.mints().forgetKeysets(op.mint());
        if (!inputKeysetsKnown(op.mint(), inputs)) {
          fail(op, "rejected: " + e.getMessage(), ProofStatus.UNSPENT); // the inputs' keyset: a refusal of them
          throw e;
        }
        if (mayReplan) return swap(replan(op), client, inputs, false);
        throw MintProtocolException.inconsistent(e.endpoint(), "refuses outputs on the keyset it lists as active");
      }
      if (e.is(NutError.OUTPUTS_ALREADY_SIGNED)) {
        List<ProofState.State> states = client.checkProofs(inputs).stream().map(ProofState::state).distinct().toList();
        if (states.equals(List.of(ProofState.State.UNSPENT))) {
          // signed for another operation (the counter was rewound, e.g. a database restored from a backup)
          if (mayReplan) return swap(replan(op), client, inputs, false);
          throw e;
        }
        if (!states.equals(List.of(ProofState.State.SPENT))) throw e; // pending: ask again later
      }
      if (e.is(NutError.PROOFS_ALREADY_SPENT) || e.is(NutError.OUTPUTS_ALREADY_SIGNED)) {
        List<Proof> restored = restore(client, outputs, keyset);
        if (restored.size() == outputs.size()) return complete(op, restored);
        if (restored.isEmpty() && e.is(NutError.PROOFS_ALREADY_SPENT)) {
          fail(op, "inputs already spent", ProofStatus.SPENT);
        }
        throw e;
      }
      if (!e.is(NutError.PROOFS_PENDING)) fail(op, "rejected: " + e.getMessage(), ProofStatus.UNSPENT);
      throw e;
    } catch (InvalidSignatureException e) {
      throw new WalletException("the mint's signatures do not verify: " + e.getMessage());
    }
  }

  /** True when the mint, asked again, still lists the keyset of every input. */
  private boolean inputKeysetsKnown(String mint, List<Proof> inputs) throws MintException, WalletException {
    Map<String, KeysetInfo> fresh = w.mints().keysetsById(mint);
    for (Proof p : inputs) if (!fresh.containsKey(p.id())) return false;
    return true;
  }

  /** The same value in fresh outputs: the part the operation is about, then the change, as first planned. */
  private Op replan(Op op) throws MintException, WalletException, SQLException {
    long total = 0;
    for (long a : op.plan().amounts()) total += a;
    long part = op.kind() == Op.Kind.RECEIVE ? total : op.amount();
    long change = total - part;
    return op.withPlan(w.replan(op, keyset -> Parts.amounts(keyset, part, change)));
  }

  private Op reloadAndFinish(Op op) throws MintException, WalletException, SQLException {
    Op now = w.tx(c -> w.journal().find(c, op.id()).orElseThrow());
    return now.state() == Op.State.PREPARED ? now : finish(now);
  }

  private List<Proof> inputs(Op op) throws SQLException, WalletException {
    if (op.kind() == Op.Kind.RECEIVE) return op.inputs();
    List<Proof> held = new ArrayList<>();
    for (StoredProof p : w.tx(c -> w.proofs().byOp(c, op.id()))) {
      if (p.status() == ProofStatus.RESERVED || p.status() == ProofStatus.PENDING) held.add(p.proof());
    }
    if (held.isEmpty()) throw new WalletException("operation holds no inputs");
    return held;
  }

  static List<Proof> restore(MintClient client, List<BlindedOutput> outputs, Keyset keyset)
      throws MintException, WalletException {
    Restored r = client.restore(Outputs.messages(outputs));
    try {
      return Outputs.unblindRestored(outputs, r.outputs(), r.signatures(), keyset);
    } catch (InvalidSignatureException e) {
      throw new WalletException("restored signatures do not verify: " + e.getMessage());
    }
  }

  /** Stores the outcome: inputs spent, the handed-out or reserved part and the change in their states. */
  private Op complete(Op op, List<Proof> signed) throws SQLException, WalletException {
    Keyset keyset;
    try {
      keyset = w.keyset(op.mint(), op.plan());
    } catch (MintException e) {
      throw new WalletException("keyset vanished: " + e.getMessage());
    }
    List<List<Proof>> parts = Parts.partition(signed, keyset, op.kind() == Op.Kind.RECEIVE ? 0 : op.amount());
    return w.tx(c -> {
      if (!w.journal().transition(c, op.id(), Op.State.DISPATCHED, Op.State.DONE, null)) {
        return w.journal().find(c, op.id()).orElseThrow(); // another worker completed it
      }
      w.proofs().moveAll(c, op.id(), ProofStatus.PENDING, ProofStatus.SPENT, op.id());
      ProofStatus partStatus = op.kind() == Op.Kind.SEND ? ProofStatus.PENDING : ProofStatus.RESERVED;
      for (Proof p : parts.get(0)) w.proofs().insert(c, op.mint(), p, partStatus, op.id());
      for (Proof p : parts.get(1)) w.proofs().insert(c, op.mint(), p, ProofStatus.UNSPENT, null);
      return op.withState(Op.State.DONE, null);
    });
  }

  /** The mint refused: release or write off the inputs, and close the operation. */
  private void fail(Op op, String why, ProofStatus inputsTo) throws SQLException {
    w.db().tx(c -> {
      if (w.journal().transition(c, op.id(), Op.State.DISPATCHED, Op.State.FAILED, why)) {
        w.proofs().moveAll(c, op.id(), ProofStatus.PENDING, inputsTo, inputsTo == ProofStatus.UNSPENT ? null : op.id());
      }
      return null;
    });
  }
}
