package archy.paidblobs.client;

import archy.ecash.wallet.Wallet;
import java.util.List;

/**
 * Tokens from the node's ecash-gate {@link Wallet}: the first accepted mint that holds enough. The send is noted
 * ({@code "payment …"}) so the wallet's history shows it as a payment, with what and to whom when the payer says.
 */
public record WalletTokens(Wallet wallet) implements TokenSource {
  @Override
  public String token(List<String> mints, long sats) throws Exception {
    return token(mints, sats, FeeBudget.UNLIMITED, "payment");
  }

  @Override
  public String token(List<String> mints, long sats, FeeBudget fees, String note) throws Exception {
    for (String mint : mints) {
      String url = mint.replaceAll("/+$", "");
      if (!wallet.mints().allowed(url)) continue;
      if (wallet.balance(url) >= sats) return wallet.send(url, sats, note).encode();
    }
    throw new PaymentRefusedException("the wallet holds no " + sats + " sat in a mint the server accepts " + mints);
  }
}
