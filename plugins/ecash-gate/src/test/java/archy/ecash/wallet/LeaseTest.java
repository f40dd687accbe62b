package archy.ecash.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.ecash.Db;
import archy.ecash.TestDb;
import archy.ecash.TestMint;
import archy.ecash.devmint.DevMint;
import archy.ecash.devmint.LightningNetwork;
import archy.ecash.mint.MintUnavailableException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-operation leases: recovery in another process never takes over an operation that is still running. */
class LeaseTest {
  @TempDir Path dir;
  private LightningNetwork network;
  private DevMint a;
  private DevMint b;
  private TestDb store;

  @BeforeEach
  void start() throws Exception {
    network = new LightningNetwork();
    a = DevMint.start(network, DevMint.Options.defaults("lease-a").withResponseCache(false));
    b = DevMint.start(network, DevMint.Options.defaults("lease-b").withResponseCache(false));
    store = TestDb.sqlite(dir);
  }

  @AfterEach
  void stop() throws Exception {
    store.close();
    a.close();
    b.close();
  }

  private Wallet open() throws Exception {
    return Wallet.open(store.db, TestMint.mints(List.of(a.url(), b.url())), Clock.systemUTC());
  }

  @Test
  void aResumeElsewhereLeavesALiveTransferAlone() throws Exception {
    Wallet live = open();
    MintInvoice invoice = live.requestMint(a.url(), 1000);
    network.faucet().pay(invoice.bolt11());
    live.completeMint(invoice.opId());
    a.faults().delayNextResponse("/v1/melt/quote/bolt11", Duration.ofSeconds(3)); // the live call is slow here
    CompletableFuture<Transfer> running = CompletableFuture.supplyAsync(() -> {
      try {
        return live.transfer(a.url(), b.url(), 300, 10);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (openTransfers() == 0) {
      assertTrue(System.nanoTime() < deadline, "the transfer never started");
      Thread.sleep(20);
    }
    Wallet sweeper = open(); // another process on the same database, sweeping while the transfer runs
    List<Transfer> seen = sweeper.resumeTransfers();
    assertEquals(1, seen.size());
    assertTrue(seen.get(0).state().open(), "left alone, not failed: " + seen.get(0).state());

    Transfer done = running.get();
    assertEquals(Transfer.State.COMPLETED, done.state());
    assertEquals(Transfer.State.COMPLETED, sweeper.findTransfer(done.id()).orElseThrow().state(), "as stored");
    assertEquals(300, sweeper.balance(b.url()));
    assertEquals(1000 - 300 - done.fee(), sweeper.balance(a.url()));
  }

  @Test
  void twoProcessesResumingOneTransferPayOnceAndOneDoesTheWork() throws Exception {
    Wallet first = open();
    MintInvoice invoice = first.requestMint(a.url(), 1000);
    network.faucet().pay(invoice.bolt11());
    first.completeMint(invoice.opId());
    long nodeBefore = a.node().balanceMsat();
    a.faults().loseNextResponse("/v1/melt/bolt11"); // A pays; the answer is lost: the transfer is left paying
    assertThrows(MintUnavailableException.class, () -> first.transfer(a.url(), b.url(), 300, 10));

    Wallet one = open();
    Wallet two = open();
    CompletableFuture<List<Transfer>> x = CompletableFuture.supplyAsync(() -> resume(one));
    CompletableFuture<List<Transfer>> y = CompletableFuture.supplyAsync(() -> resume(two));
    List<Transfer> all = new java.util.ArrayList<>(x.get());
    all.addAll(y.get());
    assertTrue(all.stream().anyMatch(t -> t.state() == Transfer.State.COMPLETED), all.toString());
    assertEquals(List.of(), one.resumeTransfers(), "nothing open afterwards");
    assertEquals(300, one.balance(b.url()));
    long paid = (nodeBefore - a.node().balanceMsat()) / 1000;
    assertEquals(301, paid, "A's node paid once: 300 sat and a 1 sat route fee");
    assertEquals(1000 - 301, one.balance(a.url()), "the rest of the fee reserve came back as change, once");
  }

  @Test
  void theTargetDownDuringTheClaimIsFinishedByResume() throws Exception {
    Wallet w = open();
    MintInvoice invoice = w.requestMint(a.url(), 1000);
    network.faucet().pay(invoice.bolt11());
    w.completeMint(invoice.opId());
    b.faults().failNextRequest("/v1/mint/bolt11"); // B answers 500 to the claim, after A paid
    assertThrows(MintUnavailableException.class, () -> w.transfer(a.url(), b.url(), 300, 10));
    assertEquals(0, w.balance(b.url()));
    List<Transfer> resumed = open().resumeTransfers();
    assertEquals(Transfer.State.COMPLETED, resumed.get(0).state());
    assertEquals(300, w.balance(b.url()));
    assertEquals(1000 - 300 - resumed.get(0).fee(), w.balance(a.url()));
  }

  private static List<Transfer> resume(Wallet w) {
    try {
      return w.resumeTransfers();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private long openTransfers() throws Exception {
    return store.db.tx(c -> Db.scalar(c, "SELECT COUNT(*) FROM ecash_gate_transfers WHERE state NOT IN ('completed', 'failed')"));
  }
}
