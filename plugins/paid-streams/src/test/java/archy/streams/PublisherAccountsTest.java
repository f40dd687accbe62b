package archy.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.ecash.Db;
import archy.ecash.TestMint;
import archy.ecash.token.Token;
import archy.ecash.wallet.Wallet;
import archy.ecash.wallet.WalletException;
import archy.nostr.Keys;
import archy.store.Database;
import archy.store.Migrations;
import archy.testing.PostgresSchema;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The publishers' accounts on both back ends: ledger totals per publisher and a payout taken off the balance once,
 * paid as a token of the node's wallet that the dev mint accepts, given back when the wallet cannot make it.
 */
class PublisherAccountsTest {
  @TempDir Path dir;

  @Test
  void onSqlite() throws Exception {
    try (Database db = Database.open("sqlite", dir.resolve("data"))) {
      accountsAndPayout(db);
    }
  }

  @Test
  void onPostgresql() throws Exception {
    try (PostgresSchema schema = PostgresSchema.create(); Database db = Database.open(schema.storageUrl(), dir)) {
      accountsAndPayout(db);
    }
  }

  private void accountsAndPayout(Database db) throws Exception {
    try (TestMint mint = TestMint.start("accounts-" + System.nanoTime(), dir.resolve("payer-" + System.nanoTime()))) {
      PublisherAccounts accounts = PublisherAccounts.open(db);
      Grants grants = new Grants(new Db(db.dataSource(), db.dialect()), Clock.systemUTC(), 250_000);
      String publisher = Keys.generate().publicKeyHex();
      String subscriber = Keys.generate().publicKeyHex();
      Offer offer = new Offer("30083:" + publisher + ":feed", publisher, "feed", 4, 1, 1083);
      assertEquals(Grants.Credit.CREDITED, grants.credit("t1", subscriber, offer.address(), 12));
      for (long seq = 1; seq <= 3; seq++) {
        assertTrue(grants.observed(offer.address(), seq, "e" + seq));
        assertTrue(grants.debitNext(subscriber, offer, seq));
      }
      assertEquals(List.of(new PublisherAccounts.Account(publisher, 9, 9, 3, 3)), accounts.accounts());
      // recorded again by a sibling process that heard of it: fine; another event with a taken seq: refused
      assertTrue(grants.observed(offer.address(), 3, "e3"));
      assertFalse(grants.observed(offer.address(), 3, "e3-again"));

      Migrations.apply(db.dataSource(), db.dialect(), "ecash-gate", getClass().getClassLoader());
      Wallet wallet = Wallet.open(new Db(db.dataSource(), db.dialect()), TestMint.mints(List.of(mint.url())),
          Clock.systemUTC());
      assertThrows(WalletException.class, () -> accounts.payout(wallet, publisher, 9, null), "an empty wallet");
      assertEquals(9, accounts.balance(publisher), "given back when no token could be made");

      mint.fund(wallet, 12); // what the subscriber's token brought in
      assertThrows(WalletException.class, () -> accounts.payout(wallet, publisher, 10, null), "more than the balance");
      Token token = accounts.payout(wallet, publisher, 9, null);
      assertEquals(9, token.amount());
      assertEquals(0, accounts.balance(publisher));
      assertEquals(3, wallet.balance(mint.url()));
      long before = mint.payer().balance(mint.url());
      mint.payer().receive("payout-" + System.nanoTime(), token);
      assertEquals(before + 9, mint.payer().balance(mint.url()));
      assertEquals(9, accounts.accounts().getFirst().earnedSats(), "the ledger is kept; only the balance went");
    }
  }
}
