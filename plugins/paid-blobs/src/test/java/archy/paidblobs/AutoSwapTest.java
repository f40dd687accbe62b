package archy.paidblobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.ecash.TestDb;
import archy.ecash.TestMint;
import archy.ecash.devmint.DevMint;
import archy.ecash.wallet.MintInvoice;
import archy.ecash.wallet.Wallet;
import archy.paidblobs.client.AutoPayClient;
import archy.paidblobs.client.AutoPayConfig;
import archy.paidblobs.client.AutoSwapTokens;
import archy.paidblobs.client.BlobTarget;
import archy.paidblobs.client.PaymentRefusedException;
import archy.paidblobs.client.SwapCaps;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Payer-side auto-swap (issue 12): the payer holds ecash on mint A only, the node accepts mint B only; A and B are
 * dev mints on one fake Lightning network.
 */
class AutoSwapTest {
  @TempDir Path dir;
  private PaidNode n;
  private DevMint a;
  private TestDb store;
  private Wallet wallet;

  @BeforeEach
  void start() throws Exception {
    n = PaidNode.start(dir, "");
    a = DevMint.start(n.mint.network, DevMint.Options.defaults("swap-source-" + System.nanoTime()).withResponseCache(false));
    store = TestDb.sqlite(dir.resolve("payer-wallet"));
    wallet = Wallet.open(store.db, TestMint.mints(List.of(a.url(), n.mint.url())), Clock.systemUTC());
    MintInvoice invoice = wallet.requestMint(a.url(), 1000);
    n.mint.network.faucet().pay(invoice.bolt11());
    assertEquals(1000, wallet.completeMint(invoice.opId()));
  }

  @AfterEach
  void stop() throws Exception {
    store.close();
    a.close();
    n.close();
  }

  private AutoPayClient client(SwapCaps caps) {
    // one blob per payment, so each payment is exactly a blob's price
    AutoPayConfig pay = new AutoPayConfig(100, 1_000, 5_000, Duration.ofSeconds(10), 0, Long.MAX_VALUE, List.of(), 1);
    return new AutoPayClient(HttpClient.newHttpClient(), new AutoSwapTokens(wallet, caps), pay, Clock.systemUTC());
  }

  @Test
  void swapsIntoTheSellersMintKeepsAFloatAndCountsTheFeeAgainstTheCaps() throws Exception {
    PaidNode.Film film = n.film("swap", PaidNode.PRICE, 50_000, 30_000);
    AutoPayClient client = client(new SwapCaps(10, 100_000, 40));
    Path out = dir.resolve("first");
    AutoPayClient.Fetched first = client.fetch(BlobTarget.parse(film.sha256(1), n.url()), out);
    assertArrayEquals(film.segments().get(0), Files.readAllBytes(out));
    assertEquals(50, first.satsPaid());
    assertEquals(40, wallet.balance(n.mint.url()), "the float stays on the seller's mint");
    long swapFee = wallet.history(10).stream().filter(e -> e.type().equals("swap")).findFirst().orElseThrow().fee();
    assertTrue(swapFee > 0 && swapFee <= 10, "fee " + swapFee);
    assertEquals(1000 - 90 - swapFee, wallet.balance(a.url()));
    assertEquals(50 + swapFee, client.spentToday(), "all-in: the price and the swap's fee");
    assertTrue(wallet.history(10).stream().anyMatch(e -> e.type().equals("payment")));

    // the next blob is paid from the float: no second swap (a new client: the interval is per client)
    AutoPayClient next = client(new SwapCaps(10, 100_000, 40));
    next.fetch(BlobTarget.parse(film.sha256(2), n.url()), dir.resolve("second"));
    assertEquals(1, wallet.pairStats().summary(a.url(), n.mint.url()).attempts(), "one swap for both blobs");
    assertEquals(10, wallet.balance(n.mint.url()));
  }

  @Test
  void aSwapOverTheFeeCapsIsDeclinedAndNothingMoves() throws Exception {
    PaidNode.Film film = n.film("dear", PaidNode.PRICE, 50_000);
    // the source reserves 2 sat for the route; the cap of 1 sat (or 1% of 50 sat) is below it
    PaymentRefusedException e = assertThrows(PaymentRefusedException.class,
        () -> client(new SwapCaps(1, 20_000, 0)).fetch(BlobTarget.parse(film.sha256(1), n.url()), dir.resolve("x")));
    assertTrue(e.getMessage().contains("did not complete") || e.getMessage().contains("holds no"), e.getMessage());
    assertEquals(1000, wallet.balance(a.url()));
    assertEquals(List.of(), wallet.pending(), "nothing pending");
  }

  @Test
  void aFailedSwapLeavesTheSourceSpendableAndNothingPending() throws Exception {
    PaidNode.Film film = n.film("noroute", PaidNode.PRICE, 50_000);
    a.node().failNext(); // the source mint's Lightning payment fails
    PaymentRefusedException e = assertThrows(PaymentRefusedException.class,
        () -> client(new SwapCaps(10, 100_000, 0)).fetch(BlobTarget.parse(film.sha256(1), n.url()), dir.resolve("y")));
    assertTrue(e.getMessage().contains("did not complete"), e.getMessage());
    assertEquals(1000, wallet.balance(a.url()), "the source's proofs are spendable again");
    assertEquals(List.of(), wallet.pending(), "nothing pending");
  }

  @Test
  void aSourceMintThatIsDownLeavesNothingPending() throws Exception {
    PaidNode.Film film = n.film("down", PaidNode.PRICE, 50_000);
    a.close();
    assertThrows(PaymentRefusedException.class,
        () -> client(new SwapCaps(10, 100_000, 0)).fetch(BlobTarget.parse(film.sha256(1), n.url()), dir.resolve("z")));
    assertEquals(1000, wallet.balance(a.url()));
    assertEquals(List.of(), wallet.pending(), "nothing pending");
  }
}
