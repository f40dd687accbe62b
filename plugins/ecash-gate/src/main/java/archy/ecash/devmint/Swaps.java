package archy.ecash.devmint;

import archy.ecash.mint.NutError;
import archy.ecash.mint.ProofState;
import archy.ecash.token.BlindSignature;
import archy.ecash.token.BlindedMessage;
import archy.ecash.token.Proof;
import archy.nostr.Hex;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** NUT-03 swap, NUT-07 state checks and NUT-09 restore: the endpoints that work on proofs and outputs alone. */
final class Swaps {
  private final DevMint.Options options;
  private final MintKeysets keysets;
  private final ProofLedger ledger;
  private final MeltQuotes melts;

  Swaps(DevMint.Options options, MintKeysets keysets, ProofLedger ledger, MeltQuotes melts) {
    this.options = options;
    this.keysets = keysets;
    this.ledger = ledger;
    this.melts = melts;
  }

  /** Checks inputs and outputs, signs, then spends the inputs and records the signatures in one step. */
  List<BlindSignature> swap(Wire.SwapRequest r) throws MintError {
    MintKeysets.VerifiedInputs inputs = keysets.verifyInputs(r.inputs(), options.maxInputsOutputs());
    List<BlindedMessage> outputs = r.outputs();
    if (outputs == null || outputs.isEmpty()) throw MintError.bad("no outputs");
    keysets.checkOutputs(outputs, options.maxInputsOutputs(), false);
    long out = 0;
    for (BlindedMessage o : outputs) out = Math.addExact(out, o.amount());
    if (inputs.amount() - inputs.fee() != out) {
      throw MintError.of(NutError.TRANSACTION_UNBALANCED, "inputs " + inputs.amount() + " minus fee " + inputs.fee()
          + " != outputs " + out);
    }
    List<BlindSignature> signatures = keysets.sign(outputs);
    ledger.commit(inputs.ys(), r.inputs().stream().map(Proof::witness).toList(), outputs, signatures);
    return signatures;
  }

  /** States in the order asked; melts in flight are first brought up to date, so a settled payment reads SPENT. */
  List<ProofState> checkState(Wire.CheckStateRequest r) throws MintError {
    if (r.ys() == null) throw MintError.bad("Ys is missing");
    if (r.ys().size() > options.maxInputsOutputs()) throw MintError.of(NutError.MAX_INPUTS_EXCEEDED);
    melts.reconcileAll();
    List<ProofState> states = new ArrayList<>(r.ys().size());
    for (String y : r.ys()) {
      String lower = y == null ? "" : y.toLowerCase(Locale.ROOT);
      if (!Hex.isLowerHex(lower, 66)) throw MintError.bad("a Y is not a compressed point in hex");
      states.add(ledger.state(lower));
    }
    return states;
  }

  /** The signatures already made on any of these outputs, paired with the outputs as signed. */
  Wire.Restored restore(Wire.RestoreRequest r) throws MintError {
    if (r.outputs() == null) throw MintError.bad("outputs is missing");
    if (r.outputs().size() > options.maxInputsOutputs()) throw MintError.of(NutError.MAX_OUTPUTS_EXCEEDED);
    List<BlindedMessage> outputs = new ArrayList<>();
    List<BlindSignature> signatures = new ArrayList<>();
    for (BlindedMessage o : r.outputs()) {
      ledger.signature(o.b()).ifPresent(s -> {
        outputs.add(s.output());
        signatures.add(s.signature());
      });
    }
    return new Wire.Restored(outputs, signatures);
  }
}
