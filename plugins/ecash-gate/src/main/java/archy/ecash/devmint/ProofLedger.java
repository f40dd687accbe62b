package archy.ecash.devmint;

import archy.ecash.mint.NutError;
import archy.ecash.mint.ProofState;
import archy.ecash.token.BlindSignature;
import archy.ecash.token.BlindedMessage;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the mint remembers about proofs and outputs: spent and pending proofs by {@code Y} (NUT-07), every
 * signature it made by {@code B_} (NUT-09 restore, and refusing to sign an output twice: 11003), and the blank
 * outputs of melts in flight (11004). Every change is one synchronized step that checks and then marks, so two
 * requests spending the same proof cannot both pass: one wins, the other gets 11001 or 11002 (the per-Y lock that
 * NUT-07 asks for, taken for the whole request at once).
 */
final class ProofLedger {
  private record Spent(String witness) {}

  private final Map<String, Spent> spent = new HashMap<>();
  private final Set<String> pending = new HashSet<>();
  private final Map<String, Signed> signed = new HashMap<>();
  private final Set<String> pendingOutputs = new HashSet<>();

  /** A signature the mint made, with the output as signed (a blank output carries the amount imprinted). */
  record Signed(BlindedMessage output, BlindSignature signature) {}

  /** A swap or mint: spends {@code ys} (with their witnesses, may be null) and records the signatures, or changes nothing. */
  synchronized void commit(List<String> ys, List<String> witnesses, List<BlindedMessage> outputs,
                           List<BlindSignature> signatures) throws MintError {
    checkUnspent(ys);
    checkUnsigned(outputs);
    for (int i = 0; i < ys.size(); i++) spent.put(ys.get(i), new Spent(witnesses.get(i)));
    record(outputs, signatures);
  }

  /** A melt starts: its inputs turn PENDING and its blank outputs are held. */
  synchronized void reserve(List<String> ys, List<BlindedMessage> blanks) throws MintError {
    checkUnspent(ys);
    checkUnsigned(blanks);
    pending.addAll(ys);
    for (BlindedMessage b : blanks) pendingOutputs.add(b.b());
  }

  /** A melt failed: its inputs are spendable again and its blank outputs free. */
  synchronized void release(List<String> ys, List<BlindedMessage> blanks) {
    ys.forEach(pending::remove);
    for (BlindedMessage b : blanks) pendingOutputs.remove(b.b());
  }

  /** A melt was paid: its inputs are spent and the change signatures recorded (on the first blanks, in order). */
  synchronized void settle(List<String> ys, List<String> witnesses, List<BlindedMessage> blanks,
                           List<BlindSignature> change) {
    for (int i = 0; i < ys.size(); i++) {
      pending.remove(ys.get(i));
      spent.put(ys.get(i), new Spent(witnesses.get(i)));
    }
    for (BlindedMessage b : blanks) pendingOutputs.remove(b.b());
    for (int i = 0; i < change.size(); i++) {
      BlindedMessage b = blanks.get(i);
      signed.put(b.b(), new Signed(new BlindedMessage(change.get(i).amount(), b.id(), b.b()), change.get(i)));
    }
  }

  synchronized ProofState state(String y) {
    Spent s = spent.get(y);
    if (s != null) return new ProofState(y, ProofState.State.SPENT, s.witness());
    return new ProofState(y, pending.contains(y) ? ProofState.State.PENDING : ProofState.State.UNSPENT, null);
  }

  synchronized Optional<Signed> signature(String blinded) {
    return Optional.ofNullable(signed.get(blinded));
  }

  private void checkUnspent(List<String> ys) throws MintError {
    for (String y : ys) {
      if (spent.containsKey(y)) throw MintError.of(NutError.PROOFS_ALREADY_SPENT);
      if (pending.contains(y)) throw MintError.of(NutError.PROOFS_PENDING);
    }
  }

  private void checkUnsigned(List<BlindedMessage> outputs) throws MintError {
    for (BlindedMessage o : outputs) {
      if (signed.containsKey(o.b())) throw MintError.of(NutError.OUTPUTS_ALREADY_SIGNED);
      if (pendingOutputs.contains(o.b())) throw MintError.of(NutError.OUTPUTS_PENDING);
    }
  }

  private void record(List<BlindedMessage> outputs, List<BlindSignature> signatures) {
    for (int i = 0; i < outputs.size(); i++) signed.put(outputs.get(i).b(), new Signed(outputs.get(i), signatures.get(i)));
  }
}
