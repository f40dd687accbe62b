package archy.paidblobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.ecash.ledger.LedgerTotals;
import archy.paidblobs.client.AutoPayClient;
import archy.paidblobs.client.AutoPayConfig;
import archy.paidblobs.client.BlobTarget;
import archy.paidblobs.client.FetchCommand;
import archy.paidblobs.client.PaymentRefusedException;
import archy.paidblobs.client.WalletTokens;
import archy.testing.TestNode;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The payer: the Java auto-pay client and {@code archy fetch} against a real paid node and dev mint. */
class AutoPayClientTest {
  @TempDir Path dir;

  private AutoPayClient client(PaidNode n, AutoPayConfig config) throws Exception {
    n.mint.fund(n.mint.payer(), 1_000);
    return new AutoPayClient(HttpClient.newHttpClient(), new WalletTokens(n.mint.payer()), config, Clock.systemUTC());
  }

  @Test
  void downloadsEveryBlobOfAFilmOnOneSessionAndTheLedgerReconciles() throws Exception {
    try (PaidNode n = PaidNode.start(dir, "")) {
      PaidNode.Film film = n.film("whole", PaidNode.PRICE, 25_000, 25_000, 25_000, 17_000);
      long servedBefore = PaidProbePlugin.bytesServed.get();
      LedgerTotals before = n.totals();
      AutoPayClient client = client(n, AutoPayConfig.defaults().withTopUp(100)); // 100,000 bytes at once
      for (int i = 0; i < film.blobs().size(); i++) {
        String url = i % 2 == 0 ? n.url() + "/b3/" + film.blake3(i) : n.url() + "/" + film.sha256(i) + ".ts";
        Path out = dir.resolve("blob-" + i);
        AutoPayClient.Fetched fetched = client.fetch(BlobTarget.parse(url, null), out);
        assertArrayEquals(film.blobs().get(i), Files.readAllBytes(out));
        assertEquals(i == 0 ? 100 : 0, fetched.satsPaid(), "one payment for the whole film");
      }
      assertEquals(100, client.spentToday());
      String session = client.session(n.url()).orElseThrow();
      long filmBytes = film.blobs().stream().mapToLong(b -> b.length).sum();
      PaidGetTest.awaitBalance(session, film, 100_000 - filmBytes);

      LedgerTotals after = n.totals();
      long served = PaidProbePlugin.bytesServed.get() - servedBefore;
      assertEquals(filmBytes, served);
      assertEquals(served, after.bytesDebited() - before.bytesDebited(), "bytes served = bytes debited");
      assertEquals(100, after.satsCredited() - before.satsCredited());
      assertEquals(100_000, after.bytesCredited() - before.bytesCredited(), "bytes paid for = sats × 10^6 / price");
    }
  }

  @Test
  void capsAndTheIntervalStopPaymentsAndFreeOriginsAreTriedFirst() throws Exception {
    try (PaidNode n = PaidNode.start(dir, ""); TestNode mirror = TestNode.start(dir.resolve("mirror"), "")) {
      PaidNode.Film film = n.film("capped", PaidNode.PRICE, 50_000, 3_000, 3_000);
      AutoPayClient capped = client(n, new AutoPayConfig(10, 1_000, 5_000, java.time.Duration.ofSeconds(10), 0,
          Long.MAX_VALUE, List.of(), 8));
      long held = n.mint.payer().balance(n.mint.url());
      PaymentRefusedException over = assertThrows(PaymentRefusedException.class,
          () -> capped.fetch(BlobTarget.parse(film.sha256(1), n.url()), dir.resolve("big")));
      assertTrue(over.getMessage().contains("per request"), over.getMessage());
      assertEquals(held, n.mint.payer().balance(n.mint.url()), "nothing left the wallet");

      // Buying ahead: a 3 sat blob buys up to the cap (10 sat), and the next blob is served from that credit.
      AutoPayClient.Fetched first = capped.fetch(BlobTarget.parse("blake3:" + film.blake3(2), n.url()), dir.resolve("small"));
      assertEquals(10, first.satsPaid());
      assertEquals(0, capped.fetch(BlobTarget.parse("blake3:" + film.blake3(3), n.url()), dir.resolve("next")).satsPaid());
      assertEquals(10, capped.spentToday());

      // Over 10 sat/MB, a free origin holding the same bytes wins.
      byte[] big = film.segments().get(0);
      assertTrue(new archy.testing.BlossomCalls(mirror.httpUrl()).upload(archy.nostr.Keys.generate(), big, null).statusCode() < 300);
      AutoPayClient thrifty = client(n, AutoPayConfig.defaults().withFreeOrigins(10, List.of(mirror.httpUrl() + "/")));
      AutoPayClient.Fetched free = thrifty.fetch(BlobTarget.parse(film.sha256(1), n.url()), dir.resolve("free"));
      assertEquals(0, free.satsPaid());
      assertTrue(free.from().toString().startsWith(mirror.httpUrl()), free.from().toString());
      assertArrayEquals(big, Files.readAllBytes(dir.resolve("free")));
    }
  }

  /** A server that takes payments and keeps answering 402 is paid once per interval, however often it asks. */
  @Test
  void aServerThatNeverDeliversIsPaidAtMostOncePerInterval() throws Exception {
    try (PaidNode n = PaidNode.start(dir, "")) {
      com.sun.net.httpserver.HttpServer hostile = com.sun.net.httpserver.HttpServer.create(
          new java.net.InetSocketAddress("127.0.0.1", 0), 0);
      String creq = archy.ecash.request.PaymentRequest.inBand("ab".repeat(16), 2, "sat", List.of(n.mint.url())).encodeA();
      hostile.createContext("/", ex -> {
        ex.getResponseHeaders().add("X-Cashu", creq);
        ex.getResponseHeaders().add("X-Archy-Session", "ab".repeat(16));
        ex.sendResponseHeaders(402, -1);
        ex.close();
      });
      hostile.start();
      try {
        AutoPayClient client = client(n, new AutoPayConfig(10, 1_000, 5_000, java.time.Duration.ofSeconds(60), 0,
            Long.MAX_VALUE, List.of(), 1));
        String url = "http://127.0.0.1:" + hostile.getAddress().getPort() + "/" + "cd".repeat(32);
        assertThrows(PaymentRefusedException.class, () -> client.fetch(BlobTarget.parse(url, null), dir.resolve("x")));
        PaymentRefusedException soon = assertThrows(PaymentRefusedException.class,
            () -> client.fetch(BlobTarget.parse(url, null), dir.resolve("y")));
        assertTrue(soon.getMessage().contains("not again within"), soon.getMessage());
        assertEquals(2, client.spentToday(), "one payment, then the interval");
      } finally {
        hostile.stop(0);
      }
    }
  }

  /** Over HTTP, then over QUIC from the endpoint the node advertises ({@code quic://host:port/<blake3>#<cert>}). */
  @Test
  void archyFetchPaysFromTheNodesWallet() throws Exception {
    try (PaidNode n = PaidNode.start(dir, "")) {
      PaidNode.Film film = n.film("cli", PaidNode.PRICE, 8_000, 8_000);
      Path home = dir.resolve("client");
      Path config = n.clientConfig(home, 20);
      n.fundClient(home.resolve("data"), 50);
      Path out = dir.resolve("fetched.ts");
      int code = new CommandLine(new FetchCommand()).execute(film.sha256(1), "--node", n.url(), "-o", out.toString(),
          "--config", config.toString());
      assertEquals(0, code);
      assertArrayEquals(film.segments().get(0), Files.readAllBytes(out));

      String endpoint = n.node.node.quic().endpoint().orElseThrow();
      String quic = "quic://" + endpoint + "/" + film.blake3(2) + "#" + n.node.node.quic().fingerprint();
      Path overQuic = dir.resolve("over-quic.ts");
      assertEquals(0, new CommandLine(new FetchCommand()).execute(quic, "-o", overQuic.toString(), "--config", config.toString()));
      assertArrayEquals(film.segments().get(1), Files.readAllBytes(overQuic));
      // A certificate other than the advertised one is never talked to: exit 1, nothing kept.
      String forged = "quic://" + endpoint + "/" + film.blake3(2) + "#" + "00".repeat(32);
      assertEquals(1, new CommandLine(new FetchCommand()).execute(forged, "-o", dir.resolve("no").toString(),
          "--config", config.toString()));
      assertTrue(Files.notExists(dir.resolve("no")));
    }
  }
}
