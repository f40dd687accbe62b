package archy.ecash.wallet;

import archy.ecash.keyset.Keyset;
import archy.ecash.token.BlindSignature;
import archy.ecash.token.BlindedMessage;
import archy.ecash.token.Proof;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Operations on a batch of outputs: building requests and pairing the mint's signatures with the outputs. */
public final class Outputs {
  private Outputs() {}

  /**
   * NUT-08: how many blank outputs to send with a melt so overpaid Lightning fees come back as change:
   * {@code max(ceil(log2(fee_reserve)), 1)}, or none when the reserve is zero.
   */
  public static int blankCount(long feeReserve) {
    if (feeReserve < 0) throw new IllegalArgumentException("fee reserve is negative");
    if (feeReserve == 0) return 0;
    return Math.max(64 - Long.numberOfLeadingZeros(feeReserve - 1), 1);
  }

  public static List<BlindedMessage> messages(List<BlindedOutput> outputs) {
    return outputs.stream().map(BlindedOutput::message).toList();
  }

  /** Swap and mint answers: one signature per output, in the same order. */
  public static List<Proof> unblind(List<BlindedOutput> outputs, List<BlindSignature> signatures, Keyset keyset)
      throws InvalidSignatureException {
    if (outputs.size() != signatures.size()) {
      throw new InvalidSignatureException(signatures.size() + " signatures for " + outputs.size() + " outputs");
    }
    List<Proof> proofs = new ArrayList<>(outputs.size());
    for (int i = 0; i < outputs.size(); i++) proofs.add(outputs.get(i).unblind(signatures.get(i), keyset));
    return proofs;
  }

  /**
   * Melt change (NUT-08): the mint returns only the non-zero signatures, for the first blank outputs in the order
   * they were sent, with amounts it chose.
   */
  public static List<Proof> unblindChange(List<BlindedOutput> blanks, List<BlindSignature> change, Keyset keyset)
      throws InvalidSignatureException {
    if (change == null || change.isEmpty()) return List.of();
    if (change.size() > blanks.size()) {
      throw new InvalidSignatureException(change.size() + " change signatures for " + blanks.size() + " blank outputs");
    }
    List<Proof> proofs = new ArrayList<>(change.size());
    for (int i = 0; i < change.size(); i++) proofs.add(blanks.get(i).unblindChange(change.get(i), keyset));
    return proofs;
  }

  /**
   * Restore (NUT-09): the mint answers only for outputs it has signed, as {@code outputs[i]}/{@code signatures[i]}
   * pairs; each is matched to ours by {@code B_}. Pairs for outputs we did not send are an error.
   */
  public static List<Proof> unblindRestored(List<BlindedOutput> ours, List<BlindedMessage> returnedOutputs,
                                            List<BlindSignature> signatures, Keyset keyset)
      throws InvalidSignatureException {
    if (returnedOutputs.size() != signatures.size()) {
      throw new InvalidSignatureException("restore returned " + returnedOutputs.size() + " outputs but "
          + signatures.size() + " signatures");
    }
    Map<String, BlindedOutput> byB = new HashMap<>();
    for (BlindedOutput o : ours) byB.put(o.blinded().toHex(), o);
    List<Proof> proofs = new ArrayList<>(signatures.size());
    for (int i = 0; i < signatures.size(); i++) {
      BlindedOutput mine = byB.get(returnedOutputs.get(i).b());
      if (mine == null) throw new InvalidSignatureException("restore returned an output we did not send");
      // restored outputs may have been blanks whose amount the mint chose, so the signature's amount stands
      proofs.add(mine.unblindChange(signatures.get(i), keyset));
    }
    return proofs;
  }
}
