package archy.streams;

import archy.ecash.Db;
import archy.ecash.cli.NodeWallet;
import archy.ecash.token.Token;
import archy.ecash.wallet.Wallet;
import archy.ecash.wallet.WalletException;
import archy.store.Database;
import archy.store.Migrations;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;

/**
 * The publishers' side of the stream ledger, for the node's operator ({@code archy stream balance|payout}): what
 * each publisher earned (its ledger lines, less the relay's share) and the balance not yet paid out, and the payout
 * of a balance as a Cashu token from the node's wallet, which holds the ecash the subscribers paid with.
 */
public final class PublisherAccounts {
  /** One publisher: the balance to pay out, its earnings and the relay's share over its ledger, observations sold. */
  public record Account(String publisher, long balanceSats, long earnedSats, long relaySats, long observationsSold) {}

  private final Grants grants;

  private PublisherAccounts(Grants grants) {
    this.grants = grants;
  }

  /** The accounts in the node's database (its tables made if the node never ran the plugin). */
  public static PublisherAccounts open(Database database) {
    Migrations.apply(database.dataSource(), database.dialect(), PaidStreamsPlugin.SECTION,
        PublisherAccounts.class.getClassLoader());
    return new PublisherAccounts(new Grants(new Db(database.dataSource(), database.dialect()), Clock.systemUTC(), 0));
  }

  public List<Account> accounts() throws SQLException {
    return grants.accounts();
  }

  public long balance(String publisher) throws SQLException {
    return grants.publisherBalance(publisher);
  }

  /**
   * Pays {@code sats} of the publisher's balance out as a token of the node's wallet ({@code mint}, or the first
   * mint holding enough). The balance is taken first, by one conditional update (two payouts at once cannot both
   * take it), and given back when the wallet cannot make the token.
   */
  public Token payout(Wallet wallet, String publisher, long sats, String mint) throws Exception {
    if (sats <= 0) throw new IllegalArgumentException("nothing to pay out: the amount must be above 0 sat");
    if (!grants.withdraw(publisher, sats)) {
      throw new WalletException("the publisher's balance is " + grants.publisherBalance(publisher) + " sat, not " + sats);
    }
    try {
      String url = NodeWallet.pickMint(wallet, mint, sats);
      return wallet.send(url, sats, "stream payout");
    } catch (Exception e) {
      grants.deposit(publisher, sats);
      throw e;
    }
  }
}
