package archy.ecash.wallet;

import archy.ecash.keyset.Fees;
import archy.ecash.keyset.KeysetInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Coin selection over a mint's unspent proofs: fewest inputs (so lowest NUT-02 fees) and little change.
 *
 * @param proofs   the chosen proofs
 * @param exact    true when they add up to the target exactly and can be used without a swap
 * @param inputFee the mint's fee for spending them as inputs
 */
record Selection(List<StoredProof> proofs, boolean exact, long inputFee) {
  long total() {
    long sum = 0;
    for (StoredProof p : proofs) sum = Math.addExact(sum, p.amount());
    return sum;
  }

  /**
   * Chooses proofs worth exactly {@code exactTarget} when the denominations allow (greedy from the largest, which
   * is exact for the power-of-two amounts mints issue whenever enough small proofs are held); otherwise proofs
   * worth at least {@code coverTarget} plus their own input fee, to be swapped into an exact split. A negative
   * {@code exactTarget} skips the exact attempt.
   *
   * @return null when the proofs are not worth enough
   */
  static Selection choose(List<StoredProof> largestFirst, long exactTarget, long coverTarget,
                          Map<String, KeysetInfo> keysets) {
    if (exactTarget > 0) {
      List<StoredProof> exact = new ArrayList<>();
      long rest = exactTarget;
      for (StoredProof p : largestFirst) {
        if (p.amount() <= rest) {
          exact.add(p);
          rest -= p.amount();
          if (rest == 0) return new Selection(exact, true, fee(exact, keysets));
        }
      }
    }
    // one proof that covers it alone, the smallest such: least change to split off
    for (int i = largestFirst.size() - 1; i >= 0; i--) {
      List<StoredProof> one = List.of(largestFirst.get(i));
      long fee = fee(one, keysets);
      if (largestFirst.get(i).amount() >= coverTarget + fee) return new Selection(one, false, fee);
    }
    List<StoredProof> cover = new ArrayList<>();
    long sum = 0;
    for (StoredProof p : largestFirst) {
      cover.add(p);
      sum = Math.addExact(sum, p.amount());
      long fee = fee(cover, keysets);
      if (sum >= coverTarget + fee) return new Selection(cover, false, fee);
    }
    return null;
  }

  static long fee(List<StoredProof> proofs, Map<String, KeysetInfo> keysets) {
    List<String> ids = new ArrayList<>(proofs.size());
    for (StoredProof p : proofs) ids.add(p.proof().id());
    return Fees.inputFee(ids, keysets);
  }
}
