package archy.paidblobs.client;

import archy.ecash.mint.MintException;
import archy.ecash.wallet.Transfer;
import archy.ecash.wallet.Wallet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Tokens from the node's wallet ({@link WalletTokens}), and when no mint the seller accepts holds enough, a
 * cross-mint swap first ({@link SwapDecision}) whose worst-case fee is charged to the payer's caps before it starts
 * (all-in cost: price plus swap fee); what it did not cost is given back. A swap that fails (melt refused, no
 * route, a mint down) leaves the source's proofs spendable and nothing pending, and the payment is refused, so the
 * payer moves on (another source, the free origin) or {@code archy fetch} exits 2.
 */
public final class AutoSwapTokens implements TokenSource {
  private final Wallet wallet;
  private final SwapCaps caps;
  private final WalletTokens direct;

  public AutoSwapTokens(Wallet wallet, SwapCaps caps) {
    this.wallet = wallet;
    this.caps = caps;
    this.direct = new WalletTokens(wallet);
  }

  @Override
  public String token(List<String> mints, long sats) throws Exception {
    return token(mints, sats, FeeBudget.UNLIMITED);
  }

  @Override
  public String token(List<String> mints, long sats, FeeBudget fees) throws Exception {
    return token(mints, sats, fees, "payment");
  }

  @Override
  public String token(List<String> mints, long sats, FeeBudget fees, String note) throws Exception {
    List<String> accepted = new ArrayList<>();
    for (String m : mints) {
      if (!wallet.mints().allowed(m)) continue;
      String url = wallet.mints().client(m).url();
      if (wallet.balance(url) >= sats) return direct.token(List.of(url), sats, fees, note);
      accepted.add(url);
    }
    Optional<SwapDecision.Plan> plan = SwapDecision.choose(wallet, accepted, sats, caps);
    if (plan.isEmpty()) return direct.token(mints, sats, fees, note); // refuses, naming the mints
    SwapDecision.Plan p = plan.get();
    Optional<String> over = fees.reserve(p.maxFee());
    if (over.isPresent()) throw new PaymentRefusedException("a swap to " + p.target() + " " + over.get());
    Transfer t;
    try {
      t = wallet.transfer(p.source(), p.target(), p.amount(), p.maxFee());
    } catch (MintException e) {
      throw new PaymentRefusedException("the swap to " + p.target() + " did not go through: " + e.getMessage());
    }
    if (t.state() != Transfer.State.COMPLETED) {
      if (t.state() == Transfer.State.FAILED) fees.release(p.maxFee()); // nothing was paid
      throw new PaymentRefusedException("the swap to " + p.target() + " did not complete: " + t.detail());
    }
    fees.release(p.maxFee() - t.fee());
    return direct.token(List.of(p.target()), sats, fees, note);
  }
}
