package archy.paidblobs.client;

import archy.ecash.wallet.PairStats;
import archy.ecash.wallet.Wallet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which swap, if any, lets the payer pay a seller whose accepted mints it holds too little on: into one of the
 * seller's mints that is also on the payer's own allow-list, from a mint of ours holding the amount plus the most
 * the swap may cost, preferring the pair with the best recent record ({@link PairStats}: pairs paused by their
 * breaker are skipped, then the most successes, then the lowest fee ratio). reference/cashu.md §5.5: advisory; the
 * transfer's own quote checks still decide.
 */
final class SwapDecision {
  /** Move {@code amount} from {@code source} to {@code target}, paying at most {@code maxFee} for it. */
  record Plan(String source, String target, long amount, long maxFee) {}

  private SwapDecision() {}

  /**
   * @param accepted the seller's mints that are on our allow-list (normalized)
   * @param sats     what the payment needs at the target
   */
  static Optional<Plan> choose(Wallet wallet, List<String> accepted, long sats, SwapCaps caps) throws SQLException {
    if (caps.maxFeeSats() == 0) return Optional.empty();
    List<Candidate> candidates = new ArrayList<>();
    for (String target : accepted) {
      long amount = Math.max(1, sats + caps.floatSats() - spendable(wallet, target));
      long maxFee = caps.maxFeeFor(amount);
      if (maxFee <= 0) continue; // no mint swaps for free: over the caps
      for (String source : wallet.mints().urls()) {
        if (source.equals(target) || spendable(wallet, source) < amount + maxFee) continue;
        PairStats.Summary record = wallet.pairStats().summary(source, target);
        if (record.open()) continue;
        candidates.add(new Candidate(new Plan(source, target, amount, maxFee), record));
      }
    }
    return candidates.stream().min(Comparator.comparingInt((Candidate c) -> -c.record().successes())
        .thenComparingLong(c -> c.record().feePpm())).map(Candidate::plan);
  }

  private record Candidate(Plan plan, PairStats.Summary record) {}

  private static long spendable(Wallet wallet, String mint) throws SQLException {
    try {
      return wallet.balance(mint);
    } catch (archy.ecash.wallet.WalletException notListed) {
      return 0;
    }
  }
}
