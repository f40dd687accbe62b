package archy.ecash.devmint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.ecash.TestDb;
import archy.ecash.TestMint;
import archy.ecash.mint.MeltQuote;
import archy.ecash.wallet.Melted;
import archy.ecash.wallet.MintInvoice;
import archy.ecash.wallet.Transfer;
import archy.ecash.wallet.Wallet;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code archy mint --port … --port …}: several dev mints in one process on one fake Lightning network. */
class DevNetworkTest {
  @TempDir Path dir;

  private static List<String> urls(Process p, int count) throws Exception {
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    return CompletableFuture.supplyAsync(() -> {
      List<String> lines = new ArrayList<>();
      try {
        while (lines.size() < count) lines.add(out.readLine());
      } catch (java.io.IOException e) {
        return null;
      }
      return lines;
    }).get(60, TimeUnit.SECONDS);
  }

  private static Process start(String... args) throws Exception {
    String java = ProcessHandle.current().info().command().orElseThrow();
    List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
        System.getProperty("java.class.path"), "archy.cli.Main", "mint"));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
  }

  /** An invoice of a node on a network the dev mints know nothing of. */
  private static String outsideInvoice(long sat) {
    return new LightningNetwork().createNode("elsewhere", 0).createInvoice(sat, "outside", Duration.ofMinutes(10))
        .request();
  }

  @Test
  void twoMintsInOneProcessSwapBetweenThemAndPayInvoicesOutside() throws Exception {
    Process p = start("--port", "0", "--port", "0", "--name", "dev-net", "--autopay-delay-seconds", "2");
    try (TestDb store = TestDb.sqlite(dir)) {
      List<String> urls = urls(p, 2);
      assertNotNull(urls);
      assertTrue(!urls.get(0).equals(urls.get(1)) && urls.get(1).matches("http://127\\.0\\.0\\.1:\\d+"), urls.toString());
      Wallet wallet = Wallet.open(store.db, TestMint.mints(urls), Clock.systemUTC());
      MintInvoice invoice = wallet.requestMint(urls.get(0), 500);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (wallet.completeMint(invoice.opId()) == 0) {
        assertTrue(System.nanoTime() < deadline, "the faucet pays mint quotes after the delay");
        Thread.sleep(200);
      }
      Transfer t = wallet.transfer(urls.get(0), urls.get(1), 200, 10);
      assertEquals(Transfer.State.COMPLETED, t.state(), "the source paid the target's invoice before the faucet did");
      assertEquals(200, wallet.balance(urls.get(1)));

      Melted out = wallet.melt(urls.get(1), outsideInvoice(50), 10);
      assertEquals(MeltQuote.State.PAID, out.state(), "paid as nutshell's FakeWallet pays any invoice");
      assertEquals(150 - out.feePaid(), wallet.balance(urls.get(1)));
    } finally {
      p.destroy();
      assertTrue(p.waitFor(15, TimeUnit.SECONDS), "stops on SIGTERM");
    }
  }

  @Test
  void withoutOutsidePaymentsAnInvoiceFromElsewhereHasNoRoute() throws Exception {
    Process p = start("--port", "0", "--name", "dev-closed", "--no-outside-payments");
    try (TestDb store = TestDb.sqlite(dir)) {
      List<String> urls = urls(p, 1);
      Wallet wallet = Wallet.open(store.db, TestMint.mints(urls), Clock.systemUTC());
      MintInvoice invoice = wallet.requestMint(urls.get(0), 100);
      assertEquals(100, wallet.completeMint(invoice.opId()), "one mint: quotes paid at once");
      Melted out = wallet.melt(urls.get(0), outsideInvoice(50), 10);
      assertEquals(MeltQuote.State.UNPAID, out.state());
      assertEquals(100, wallet.balance(urls.get(0)), "nothing lost: the inputs came back");
    } finally {
      p.destroy();
      assertTrue(p.waitFor(15, TimeUnit.SECONDS));
    }
  }
}
