package archy.ecash.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.ecash.TestDb;
import archy.ecash.TestMint;
import archy.ecash.devmint.DevMint;
import archy.ecash.devmint.LightningNetwork;
import archy.ecash.mint.MintUnavailableException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Transfers between two dev mints on one fake Lightning network, with crashes and payment failures. */
class CrossMintTest {
  @TempDir Path dir;
  private LightningNetwork network;
  private DevMint a;
  private DevMint b;
  private TestDb store;
  private Wallet wallet;

  @BeforeEach
  void start() throws Exception {
    network = new LightningNetwork();
    a = DevMint.start(network, DevMint.Options.defaults("mint-a").withResponseCache(false));
    b = DevMint.start(network, DevMint.Options.defaults("mint-b").withResponseCache(false));
    store = TestDb.sqlite(dir);
    wallet = open();
    MintInvoice invoice = wallet.requestMint(a.url(), 1000);
    network.faucet().pay(invoice.bolt11());
    assertEquals(1000, wallet.completeMint(invoice.opId()));
  }

  @AfterEach
  void stop() throws Exception {
    store.close();
    a.close();
    b.close();
  }

  /** A wallet process on the shared database; opening another stands in for a restart after a crash. */
  private Wallet open() throws Exception {
    return Wallet.open(store.db, TestMint.mints(List.of(a.url(), b.url())), Clock.systemUTC());
  }

  @Test
  void movesValueFromOneMintToAnother() throws Exception {
    Transfer t = wallet.transfer(a.url(), b.url(), 300, 10);
    assertEquals(Transfer.State.COMPLETED, t.state(), String.valueOf(t.detail()));
    assertEquals(300, wallet.balance(b.url()));
    assertEquals(1000 - 300 - t.fee(), wallet.balance(a.url()));
    assertEquals(1, t.fee(), "the route cost 1 sat; the rest of the 2 sat reserve came back as change");
    assertEquals(1, wallet.pairStats().summary(a.url(), b.url()).successes());
  }

  @Test
  void refusesWhenTheFeeReserveIsAboveTheCap() throws Exception {
    Transfer t = wallet.transfer(a.url(), b.url(), 300, 1);
    assertEquals(Transfer.State.FAILED, t.state());
    assertTrue(t.detail().contains("cap"), t.detail());
    assertEquals(1000, wallet.balance(a.url()), "nothing was paid");
    assertEquals(0, wallet.balance(b.url()));
  }

  @Test
  void aProcessKilledAfterTheMeltResumesWithoutPayingTwice() throws Exception {
    long nodeBefore = a.node().balanceMsat();
    a.faults().loseNextResponse("/v1/melt/bolt11");
    assertThrows(MintUnavailableException.class, () -> wallet.transfer(a.url(), b.url(), 300, 10));
    wallet = null; // the process dies: nothing in memory survives

    Wallet restarted = open();
    List<Transfer> resumed = restarted.resumeTransfers();
    assertEquals(1, resumed.size());
    Transfer t = resumed.getFirst();
    assertEquals(Transfer.State.COMPLETED, t.state(), String.valueOf(t.detail()));
    assertEquals(300, restarted.balance(b.url()));
    assertEquals(1000 - 300 - 1, restarted.balance(a.url()), "change restored: exactly one payment, 1 sat fee");
    assertEquals(nodeBefore - 301_000, a.node().balanceMsat(), "A's node paid B's invoice once");
    assertEquals(List.of(), restarted.resumeTransfers(), "nothing left open");
  }

  @Test
  void aLostMintAnswerAtTheTargetIsRestoredAfterARestart() throws Exception {
    b.faults().loseNextResponse("/v1/mint/bolt11");
    assertThrows(MintUnavailableException.class, () -> wallet.transfer(a.url(), b.url(), 200, 10));
    Wallet restarted = open();
    Transfer t = restarted.resumeTransfers().getFirst();
    assertEquals(Transfer.State.COMPLETED, t.state());
    assertEquals(200, restarted.balance(b.url()));
  }

  @Test
  void aHeldPaymentStaysPayingUntilItSettles() throws Exception {
    a.node().holdNext();
    Transfer t = wallet.transfer(a.url(), b.url(), 100, 10);
    assertEquals(Transfer.State.PAYING, t.state());
    assertEquals(Transfer.State.PAYING, wallet.resumeTransfers().getFirst().state(), "never given up on time alone");
    network.pendingPayments().forEach(network::settlePending);
    assertEquals(Transfer.State.COMPLETED, wallet.resumeTransfers().getFirst().state());
    assertEquals(100, wallet.balance(b.url()));
  }

  @Test
  void failedPaymentsReleaseTheProofsAndTripThePairsBreaker() throws Exception {
    for (int i = 0; i < 3; i++) {
      a.node().failNext();
      assertEquals(Transfer.State.FAILED, wallet.transfer(a.url(), b.url(), 50, 10).state());
    }
    assertEquals(1000, wallet.balance(a.url()), "every failed payment gave its inputs back");
    assertTrue(wallet.pairStats().summary(a.url(), b.url()).open());
    WalletException paused = assertThrows(WalletException.class, () -> wallet.transfer(a.url(), b.url(), 50, 10));
    assertTrue(paused.getMessage().contains("paused"), paused.getMessage());
  }
}
