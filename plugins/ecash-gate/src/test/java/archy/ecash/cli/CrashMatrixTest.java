package archy.ecash.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.ecash.TestDb;
import archy.ecash.TestMint;
import archy.ecash.devmint.DevMint;
import archy.ecash.devmint.LightningNetwork;
import archy.ecash.wallet.MintInvoice;
import archy.ecash.wallet.ProofStatus;
import archy.ecash.wallet.Transfer;
import archy.ecash.wallet.Wallet;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The interruption matrix of reference/cashu.md §5.3 for a cross-mint swap: {@code archy wallet swap} as a real
 * process, killed with kill -9 at each boundary between its persisted steps, then {@code archy wallet resume} in a
 * fresh process. Each case proves: nothing paid twice (the source's Lightning node paid at most once), no proof
 * lost, nothing left pending or reserved, and the wallet reconciles to the sat (what A and B hold plus the fee is
 * what was there before).
 */
class CrashMatrixTest {
  private static final long FUNDS = 1000;
  private static final long AMOUNT = 300;

  @TempDir Path dir;
  private LightningNetwork network;
  private DevMint a;
  private DevMint b;
  private Path data;
  private WalletProcess cli;

  @BeforeEach
  void start() throws Exception {
    network = new LightningNetwork();
    a = DevMint.start(network, DevMint.Options.defaults("crash-a").withResponseCache(false));
    b = DevMint.start(network, DevMint.Options.defaults("crash-b").withResponseCache(false));
    data = dir.resolve("data");
    Path config = dir.resolve("archy.toml");
    Files.writeString(config, """
        [server]
        data_dir = "%s"
        [ecash-gate]
        mints = ["%s", "%s"]
        """.formatted(data.toString().replace("\\", "/"), a.url(), b.url()));
    cli = new WalletProcess(config, dir);
    try (TestDb db = TestDb.sqlite(data)) {
      Wallet w = Wallet.open(db.db, TestMint.mints(List.of(a.url(), b.url())), Clock.systemUTC());
      MintInvoice invoice = w.requestMint(a.url(), FUNDS);
      network.faucet().pay(invoice.bolt11());
      assertEquals(FUNDS, w.completeMint(invoice.opId()));
    }
  }

  @AfterEach
  void stop() {
    a.close();
    b.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"transfer-planned", "transfer-paying", "melt-prepared", "melt-dispatched", "melt-answered",
      "transfer-funded", "mint-dispatched", "mint-answered"})
  void killedAtEachBoundaryAndResumedNothingLostNothingPaidTwice(String boundary) throws Exception {
    long aNodeBefore = a.node().balanceMsat();
    WalletProcess.Run swap = cli.startWith(List.of("-Darchy.wallet.stopAt=" + boundary, "-Darchy.wallet.leaseSeconds=2"),
        "swap", String.valueOf(AMOUNT), "--from", a.url(), "--to", b.url(), "--max-fee", "10", "--json");
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (!Files.readString(swap.stderr()).contains("archy-wallet-stopped-at " + boundary)) {
      assertTrue(swap.process().isAlive(), "the swap ended before " + boundary + ": " + Files.readString(swap.stderr()));
      assertTrue(System.nanoTime() < deadline, "never reached " + boundary);
      Thread.sleep(50);
    }
    swap.process().destroyForcibly(); // SIGKILL: no shutdown hook, no finally block runs
    swap.process().waitFor();
    Thread.sleep(2_500); // the dead process's leases lapse (2 s in this test)

    JsonNode resumed = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      WalletProcess.Result r = cli.run("resume", "--json");
      resumed = r.json();
      if (r.exit() == 0) break;
      Thread.sleep(1_000);
    }
    try (TestDb db = TestDb.sqlite(data)) {
      Wallet w = Wallet.open(db.db, TestMint.mints(List.of(a.url(), b.url())), Clock.systemUTC());
      assertEquals(List.of(), w.pending(), boundary + ": nothing left pending; " + resumed);
      Transfer t = db.db.tx(c -> archy.ecash.Db.one(c, "SELECT id FROM ecash_gate_transfers", rs -> rs.getString(1)))
          .flatMap(id -> {
            try {
              return w.findTransfer(id);
            } catch (java.sql.SQLException e) {
              throw new IllegalStateException(e);
            }
          }).orElseThrow();
      assertTrue(!t.state().open(), boundary + ": the transfer is finished or released: " + t.state());
      long paidByA = (aNodeBefore - a.node().balanceMsat()) / 1000;
      if (t.state() == Transfer.State.COMPLETED) {
        assertEquals(AMOUNT, w.balance(b.url()), boundary);
        assertTrue(paidByA >= AMOUNT && paidByA <= AMOUNT + 10, boundary + ": A paid once: " + paidByA);
      } else {
        assertEquals(0, w.balance(b.url()), boundary);
        assertEquals(0, paidByA, boundary + ": A paid nothing");
      }
      assertEquals(0, w.total(ProofStatus.PENDING), boundary);
      assertEquals(0, w.total(ProofStatus.RESERVED), boundary);
      assertEquals(FUNDS, w.balance(a.url()) + w.balance(b.url()) + t.fee(), boundary + ": reconciles to the sat");
      if (t.state() == Transfer.State.COMPLETED) {
        assertEquals(paidByA - AMOUNT, t.fee() - inputFees(), boundary + ": the fee is what A's node paid");
      }
    }
  }

  private static long inputFees() {
    return 0; // the dev mints here charge no input fee
  }
}
