package archy.paidblobs.client;

import archy.ecash.wallet.Wallet;
import java.util.List;

/** Tokens from the node's ecash-gate {@link Wallet}: the first accepted mint that holds enough. */
public record WalletTokens(Wallet wallet) implements TokenSource {
  @Override
  public String token(List<String> mints, long sats) throws Exception {
    for (String mint : mints) {
      String url = mint.replaceAll("/+$", "");
      if (!wallet.mints().allowed(url)) continue;
      if (wallet.balance(url) >= sats) return wallet.send(url, sats, "payment").encode();
    }
    throw new PaymentRefusedException("the wallet holds no " + sats + " sat in a mint the server accepts " + mints);
  }
}
