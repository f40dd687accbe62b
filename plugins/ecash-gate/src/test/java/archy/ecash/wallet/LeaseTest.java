package archy.ecash.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.ecash.Db;
import archy.ecash.TestDb;
import archy.ecash.TestMint;
import archy.ecash.devmint.DevMint;
import archy.ecash.devmint.LightningNetwork;
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

  private long openTransfers() throws Exception {
    return store.db.tx(c -> Db.scalar(c, "SELECT COUNT(*) FROM ecash_gate_transfers WHERE state NOT IN ('completed', 'failed')"));
  }
}
