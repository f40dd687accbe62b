package archy.ecash.wallet;

import archy.ecash.keyset.InvalidKeysetException;
import java.util.ArrayList;
import java.util.List;

/**
 * The outputs of one mint call, written to the journal before the call: a keyset, the first of a range of NUT-13
 * counters reserved for it, and one amount per output (0 for a NUT-08 blank). That is enough to rebuild every
 * secret and blinding factor from the seed, so a lost answer is recovered by replaying the same outputs or by
 * NUT-09 restore, and nothing secret needs to be stored per output.
 */
record OutputPlan(String keysetId, long firstCounter, List<Long> amounts) {
  /** What a blank output asks for; the mint replaces it with the change amount it chose (NUT-08). */
  private static final long BLANK_PLACEHOLDER = 1;

  OutputPlan {
    amounts = List.copyOf(amounts);
  }

  List<BlindedOutput> outputs(DeterministicSecrets secrets) throws InvalidKeysetException {
    List<BlindedOutput> out = new ArrayList<>(amounts.size());
    for (int i = 0; i < amounts.size(); i++) {
      long a = amounts.get(i);
      out.add(BlindedOutput.deterministic(a == 0 ? BLANK_PLACEHOLDER : a, keysetId, secrets, firstCounter + i));
    }
    return out;
  }

  String amountsColumn() {
    StringBuilder sb = new StringBuilder();
    for (long a : amounts) sb.append(sb.isEmpty() ? "" : ",").append(a);
    return sb.toString();
  }

  static List<Long> parseAmounts(String column) {
    if (column == null || column.isEmpty()) return List.of();
    List<Long> out = new ArrayList<>();
    for (String s : column.split(",")) out.add(Long.parseLong(s));
    return out;
  }
}
