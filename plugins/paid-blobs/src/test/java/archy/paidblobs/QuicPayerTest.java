package archy.paidblobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.config.Config;
import archy.config.ConfigLoader;
import archy.ecash.ledger.LedgerTotals;
import archy.ecash.wallet.WalletViews;
import archy.film.fetch.SeederQuic;
import archy.nostr.Keys;
import archy.paidblobs.client.AutoPayClient;
import archy.paidblobs.client.AutoPayConfig;
import archy.paidblobs.client.BlobTarget;
import archy.paidblobs.client.PaymentRefusedException;
import archy.paidblobs.client.WalletTokens;
import archy.quic.QuicEndpoint;
import archy.quic.QuicIdentity;
import archy.quic.QuicResponse;
import archy.quic.QuicTarget;
import archy.testing.TestNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The payer over QUIC (issue 13) against a real paid node and dev mint: one set of caps for HTTP and QUIC to one
 * host, a lost answer retried with the same token (redeemed once), and the spend on record in the wallet's history
 * ({@code archy fetch quic://…} is in {@link AutoPayClientTest}).
 */
class QuicPayerTest {
  @TempDir Path dir;

  private static AutoPayClient client(PaidNode n, AutoPayConfig caps) throws Exception {
    n.mint.fund(n.mint.payer(), 1_000);
    return new AutoPayClient(HttpClient.newHttpClient(), new WalletTokens(n.mint.payer()), caps, Clock.systemUTC());
  }

  private static String quicUrl(String hostPort, String blake3, String fingerprint) {
    return "quic://" + hostPort + "/" + blake3 + "#" + fingerprint;
  }

  private static WalletViews.Entry payment(PaidNode n, String note) throws Exception {
    return n.mint.payer().history(100).stream().filter(e -> note.equals(e.note())).findFirst()
        .orElseThrow(() -> new AssertionError("no payment noted \"" + note + "\" in the wallet's history"));
  }

  @Test
  void httpAndQuicToOneHostDrawOnOnePerHostCapAndTheSpendIsNoted() throws Exception {
    try (PaidNode n = PaidNode.start(dir, "");
         QuicEndpoint quic = QuicPaidBlobsTest.client(dir.resolve("payer-quic"), Keys.generate())) {
      PaidNode.Film film = n.film("one-budget", PaidNode.PRICE, 12_000, 12_000);
      // 20 sat per host per day: one 12 sat blob fits, a second (on another transport) does not.
      AutoPayClient payer = client(n, new AutoPayConfig(20, 20, 5_000, Duration.ZERO, 0, Long.MAX_VALUE, List.of(), 1));
      AutoPayClient.Fetched overHttp = payer.fetch(BlobTarget.parse(n.url() + "/b3/" + film.blake3(1), null),
          dir.resolve("http"));
      assertArrayEquals(film.segments().get(0), Files.readAllBytes(dir.resolve("http")));
      assertTrue(overHttp.satsPaid() > 0 && overHttp.satsPaid() <= 12, "paid " + overHttp.satsPaid());
      WalletViews.Entry http = payment(n, "payment to " + n.url() + " for /b3/" + film.blake3(1));
      assertEquals("payment", http.type());
      assertEquals(overHttp.satsPaid(), http.amount());

      String endpoint = n.node.node.quic().endpoint().orElseThrow();
      long held = n.mint.payer().balance(n.mint.url());
      PaymentRefusedException over = assertThrows(PaymentRefusedException.class, () -> payer.fetchQuic(
          new SeederQuic(quic), BlobTarget.parse(quicUrl(endpoint, film.blake3(2), n.node.node.quic().fingerprint()), null),
          dir.resolve("quic")));
      assertTrue(over.getMessage().contains("per day for 127.0.0.1"), over.getMessage());
      assertEquals(held, n.mint.payer().balance(n.mint.url()), "nothing left the wallet");
      assertEquals(overHttp.satsPaid(), payer.spentToday());
    }
  }

  /**
   * A stream that dies after the token went out: a relay-in-the-middle on its own QUIC port passes requests on to the
   * node and answers back, except that the first paid request's answer is lost (the node redeemed the token; the
   * client sees a reset). The payer sends the same token again and the node, which credits a token once, serves it.
   */
  @Test
  void aLostAnswerIsRetriedWithTheSameTokenAndRedeemedOnce() throws Exception {
    try (PaidNode n = PaidNode.start(dir, "");
         QuicEndpoint quic = QuicPaidBlobsTest.client(dir.resolve("payer-quic"), Keys.generate());
         QuicEndpoint lossy = server(dir.resolve("lossy"))) {
      PaidNode.Film film = n.film("lost-answer", PaidNode.PRICE, 10_000);
      QuicTarget node = new QuicTarget(n.node.node.quic().endpoint().orElseThrow(), QuicPaidBlobs.ALPN,
          n.node.node.quic().fingerprint());
      Set<String> tokens = ConcurrentHashMap.newKeySet();
      AtomicInteger paidRequests = new AtomicInteger();
      AtomicInteger lostStatus = new AtomicInteger();
      lossy.register(QuicPaidBlobs.ALPN, (request, reply) -> {
        ObjectNode header = request.header().deepCopy();
        header.remove("auth");
        boolean paid = header.hasNonNull("token");
        if (paid) tokens.add(header.get("token").asText());
        QuicResponse r = lossy.client().request(node, header, false);
        if (paid && paidRequests.getAndIncrement() == 0) {
          lostStatus.set(r.status());
          r.close();
          reply.reset(); // the node took the token and answered; that answer never reaches the payer
          return;
        }
        try (r) {
          reply.stream(r.header(), r.body());
        }
      });
      lossy.start();
      LedgerTotals before = n.totals();
      // Buys 8 blobs' worth: the lost answer's bytes are debited (rounding against the client), the rest pays the retry.
      AutoPayClient payer = client(n, new AutoPayConfig(100, 1_000, 5_000, Duration.ofSeconds(60), 0, Long.MAX_VALUE,
          List.of(), 8));
      long held = n.mint.payer().balance(n.mint.url());
      String hostPort = "127.0.0.1:" + lossy.port();
      Path out = dir.resolve("blob");
      AutoPayClient.Fetched fetched = payer.fetchQuic(new SeederQuic(quic),
          BlobTarget.parse(quicUrl(hostPort, film.blake3(1), lossy.fingerprint()), null), out);

      assertArrayEquals(film.segments().get(0), Files.readAllBytes(out));
      assertEquals(200, lostStatus.get(), "the node answered the first paid request");
      assertEquals(2, paidRequests.get(), "the paid request went twice");
      assertEquals(1, tokens.size(), "both times with the same token");
      assertEquals(80, fetched.satsPaid());
      assertEquals(80, payer.spentToday());
      assertEquals(held - 80, n.mint.payer().balance(n.mint.url()), "one token left the wallet");
      assertEquals(80, n.totals().satsCredited() - before.satsCredited(), "the node credited the token once");
      WalletViews.Entry noted = payment(n, "payment to quic://" + hostPort + " for blake3:" + film.blake3(1));
      assertEquals("payment", noted.type());
      assertEquals(80, noted.amount());
    }
  }

  /** A QUIC server of its own on a free UDP port of 127.0.0.1 (start it once its protocol is registered). */
  private static QuicEndpoint server(Path data) throws Exception {
    Config config = ConfigLoader.parse("[server]\nquic_port = " + TestNode.freeUdpPort() + "\n",
        new ConfigLoader.Overrides("127.0.0.1", 1, null, data, null, null));
    Files.createDirectories(data);
    return new QuicEndpoint(config.server(), config.quic(), QuicIdentity.load(data), Keys.generate(), Clock.systemUTC());
  }
}
