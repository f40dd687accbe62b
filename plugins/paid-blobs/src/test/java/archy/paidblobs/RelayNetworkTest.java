package archy.paidblobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.ecash.gate.EcashPaymentGate;
import archy.ecash.gate.PaymentGate;
import archy.ecash.ledger.LedgerTotals;
import archy.film.fetch.BlobHttp;
import archy.nostr.Keys;
import archy.quic.QuicEndpoint;
import archy.quic.QuicResponse;
import archy.quic.QuicTarget;
import archy.testing.TestNode;
import archy.testing.WsClient;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real nodes on loopback and a dev mint (issue 14, PROTOCOLS.md §5.2): A sells a film; B, which learns it by
 * syncing from A, relays over {@code archy/relay/1}; C is a §5.0-authenticated QUIC client that talks to B only. C
 * obtains every blob through B, B paid A (A's ledger), C paid B (B's {@code relay-bandwidth} rows), the bytes C
 * received are the bytes B debited; every rail refuses with its status and reason and fetches nothing upstream.
 */
class RelayNetworkTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ALPN = "archy/relay/1";
  @TempDir Path dir;

  static ObjectNode relay(String blake3, String... path) {
    ObjectNode h = JSON.createObjectNode().put("content", "blake3:" + blake3).put("ttl", 1);
    var p = h.putArray("path");
    for (String k : path) p.add(k);
    return h;
  }

  /** B: syncs A's films and adverts, pays A from its wallet, relays at 2 sat/MB (40 MB per session, 2 at once). */
  static String relayConfig(Keys keyB, PaidNode a) {
    return a.peerConfig(keyB, List.of("ecash-gate", "film-catalog", "paid-blobs", "relay-bandwidth", "paid-probe"),
        "[ecash-gate.prices]\nrelay-bandwidth = 2", """
        federation_peers = ["%s"]
        upstream_relays = ["%s"]
        advertise = false""".formatted(a.node.node.keys().publicKeyHex(), a.node.wsUrl()), """
        [paid-blobs]
        publish_offer = true
        [paid-blobs.client]
        max_sats_per_request = 200
        [relay-bandwidth]
        enabled = true
        max_session_bytes = 40000000
        max_concurrent_per_peer = 2""");
  }

  @Test
  void cObtainsAFilmThroughBWhoPaysAAndEveryRailRefuses() throws Exception {
    try (PaidNode a = PaidNode.withCatalog(dir.resolve("a"), "", "fetch_allow_private = true\nadvert_check_seconds = 1")) {
      // Films priced by their own tags: "cheap" at 1 sat/MB (below B's relay price), "dear" above it.
      PaidNode.Film film = a.film("cheap", 1L, 20_000, 20_000, 9_000);
      PaidNode.Film dear = a.film("dear", 1000L, 5_000);
      PaidNode.Film big = a.film("big", null, 12 << 20); // free at A: B relays it at its own price
      Keys keyB = Keys.generate();
      Keys keyC = Keys.generate();
      String configB = relayConfig(keyB, a);
      TestNode b = TestNode.start(dir.resolve("b"), configB);
      try (QuicEndpoint c = QuicPaidBlobsTest.client(dir.resolve("c"), keyC);
           QuicEndpoint bAsClient = QuicPaidBlobsTest.client(dir.resolve("b-client"), keyB)) {
        var walletB = PaidProbePlugin.wallets.get(keyB.publicKeyHex());
        a.mint.fund(walletB, 300);
        EcashPaymentGate gateB = (EcashPaymentGate) PaidProbePlugin.gates.get(keyB.publicKeyHex());
        LedgerTotals aBefore = a.totals();
        QuicTarget relayB0 = new QuicTarget(b.node.quic().endpoint().orElseThrow(), ALPN, b.node.quic().fingerprint());
        String idC = keyC.publicKeyHex();
        QuicTarget relayB = relayB0;

        String session = awaitPaymentRequired(c, relayB, film.blake3(1), idC);
        assertTrue(gateB.totals(PaymentGate.RELAY_BANDWIDTH).bytesDebited() == 0);

        // The refusals, before anything is paid: status, reason, and nothing obtained upstream.
        assertRefused(c, relayB, relay(dear.blake3(1), idC), false, 401, "auth-required");
        assertRefused(c, relayB, relay(dear.blake3(1), idC).put("content", "https://a.example/" + dear.sha256(1)), true,
            400, "content must be blake3");
        assertRefused(c, relayB, relay(dear.blake3(1), idC).put("content", dear.sha256(1)), true, 400, "content must be");
        assertRefused(c, relayB, relay(dear.blake3(1), idC).put("content", "blake3:zz"), true, 400, "content must be");
        assertRefused(c, relayB, relay(dear.blake3(1), idC).put("ttl", 2), true, 400, "ttl must be 1");
        assertRefused(c, relayB, relay(dear.blake3(1), idC).without("ttl"), true, 400, "ttl must be 1");
        assertRefused(c, relayB, relay(dear.blake3(1), Keys.generate().publicKeyHex(), idC), true, 401, "path[0]");
        assertRefused(c, relayB, relay(dear.blake3(1), idC, keyB.publicKeyHex()), true, 400, "loop");
        // B configured to relay through itself: its own key as requester is a loop too.
        assertRefused(bAsClient, relayB, relay(dear.blake3(1), keyB.publicKeyHex()), true, 400, "loop");
        assertRefused(c, relayB, relay("ab".repeat(32), idC), true, 400, "not relayed: blake3:");
        assertRefused(c, relayB, relay(dear.blake3(1), idC), true, 400, "not relayed: the upstream asks 1000 sat/MB");
        assertTrue(b.node.blossom().blobs().byBlake3(dear.blake3(1)).isEmpty(), "B obtained nothing for the refusals");

        // C pays B; every blob of the film comes through B, verified.
        String token = a.mint.token(20).encode();
        long received = 0;
        for (int i = 0; i < film.blobs().size(); i++) {
          ObjectNode h = relay(film.blake3(i), idC).put("session", session);
          if (i == 0) h.put("token", token);
          try (QuicResponse r = c.client().request(relayB, h, true)) {
            assertEquals(200, r.status(), r.header().toString());
            assertEquals(PaymentGate.RELAY_BANDWIDTH, r.header().path("service").asText());
            byte[] bytes = r.body().readAllBytes();
            assertArrayEquals(film.blobs().get(i), bytes);
            received += bytes.length;
          }
        }
        long expected = received;
        LedgerTotals relayed = awaitDebited(gateB, expected);
        assertEquals(expected, relayed.bytesDebited(), "bytes C received = bytes B metered as relay-bandwidth");
        assertEquals(20, relayed.satsCredited() + relayed.swapFees(), "C paid B the token's face value");
        assertEquals(0, gateB.totals(PaymentGate.CONTENT_DOWNLOAD).bytesDebited(), "no relay byte was a download");
        // B's wallet also holds what C paid it (the gate's swap lands there): what B spent is the rest.
        long spentB = 300 + relayed.satsReceived() - walletB.balance(a.mint.url());
        assertTrue(spentB > 0, "B paid A for the blobs");
        assertEquals(spentB, a.totals().satsCredited() - aBefore.satsCredited(), "A was paid what B spent");

        // max_concurrent_per_peer (2): two relays of a 12 MiB blob held open unread (QUIC's window holds the rest
        // back, so both are in flight), a third is refused 429. C pays for what was handed over.
        try (QuicResponse first = c.client().request(relayB, relay(big.blake3(1), idC).put("session", session)
            .put("token", a.mint.token(100).encode()), true)) {
          assertEquals(200, first.status(), first.header().toString());
          try (QuicResponse second = c.client().request(relayB, relay(big.blake3(1), idC).put("session", session), true)) {
            assertEquals(200, second.status(), second.header().toString());
            try (QuicResponse third = c.client().request(relayB, relay(big.blake3(1), idC).put("session", session), true)) {
              assertEquals(429, third.status(), third.header().toString());
              assertTrue(third.header().path("reason").asText().startsWith("rate-limited"), third.header().toString());
              assertEquals(1, third.header().path("retry_after").asInt());
            }
            // Read to the end: a requester that stops reading holds its slot until the QUIC idle timeout.
            assertEquals(big.size(1), second.body().readAllBytes().length);
          }
          assertEquals(big.size(1), first.body().readAllBytes().length);
        }
        // The held streams ended: B's handlers give their slots back as they return.
        long slotsBack = System.currentTimeMillis() + 20_000;
        while (true) {
          try (QuicResponse r = c.client().request(relayB, relay(film.blake3(0), idC).put("session", session)
              .put("length", 0), true)) {
            if (r.status() == 200) break;
            assertEquals(429, r.status(), r.header().toString());
          }
          assertTrue(System.currentTimeMillis() < slotsBack, "the held relays never ended");
          Thread.sleep(100);
        }
        // A range by offset (a resume) on the same session.
        try (QuicResponse r = c.client().request(relayB, relay(film.blake3(1), idC).put("session", session)
            .put("offset", 15_000), true)) {
          assertEquals(200, r.status(), r.header().toString());
          assertArrayEquals(java.util.Arrays.copyOfRange(film.blobs().get(1), 15_000, 20_000), r.body().readAllBytes());
          received += 5_000;
        }
        String metrics = new String(new archy.testing.BlossomCalls(b.httpUrl()).get("/metrics").body());
        for (String reason : new String[] {"auth", "content", "ttl", "path", "loop", "not_film", "upstream_price", "concurrency"}) {
          assertTrue(metrics.lines().anyMatch(l -> l.startsWith("archy_relay_refused_total{reason=\"" + reason + "\"}")
              && !l.endsWith(" 0.0")), "counted: " + reason);
        }

        // C's read is cut off mid-blob and B restarts: the session's balance survives, the rest comes by offset.
        byte[] head;
        try (QuicResponse r = c.client().request(relayB, relay(film.blake3(2), idC).put("session", session), true)) {
          assertEquals(200, r.status(), r.header().toString());
          head = r.body().readNBytes(4_000);
        }
        Thread.sleep(1_000); // the cut-off streams' reservations settle as their handlers end
        gateB.flush();
        long balance = gateB.balance(session, PaymentGate.RELAY_BANDWIDTH, "relay");
        b.close();
        b = TestNode.start(dir.resolve("b"), configB);
        gateB = (EcashPaymentGate) PaidProbePlugin.gates.get(keyB.publicKeyHex());
        assertEquals(balance, gateB.balance(session, PaymentGate.RELAY_BANDWIDTH, "relay"), "the balance survived");
        relayB = new QuicTarget(b.node.quic().endpoint().orElseThrow(), ALPN, b.node.quic().fingerprint());
        try (QuicResponse r = c.client().request(relayB, relay(film.blake3(2), idC).put("session", session)
            .put("offset", head.length), true)) {
          assertEquals(200, r.status(), r.header().toString());
          byte[] whole = java.util.Arrays.copyOf(head, film.size(2));
          byte[] tail = r.body().readAllBytes();
          System.arraycopy(tail, 0, whole, head.length, tail.length);
          assertArrayEquals(film.blobs().get(2), whole, "resumed by offset after B's restart");
        }

        // The node's one 10021 carries both services: relay-bandwidth (with ["relay"] and its quic endpoint) beside
        // paid-blobs' content-download.
        List<List<String>> offer = List.of();
        long deadline = System.currentTimeMillis() + 10_000;
        while (!offer.contains(List.of("relay"))) {
          assertTrue(System.currentTimeMillis() < deadline, "no merged 10021 offer: " + offer);
          Thread.sleep(200);
          offer = offerTags(b, keyB.publicKeyHex());
        }
        assertTrue(offer.contains(List.of("service", PaymentGate.RELAY_BANDWIDTH)), offer.toString());
        assertTrue(offer.contains(List.of("service", PaymentGate.CONTENT_DOWNLOAD)), offer.toString());
        assertTrue(offer.contains(List.of("price_per_step", "cashu", "2", "sat", a.mint.url(), "1",
            PaymentGate.RELAY_BANDWIDTH)), offer.toString());
        assertTrue(offer.contains(List.of("endpoint", "quic", b.node.quic().endpoint().orElseThrow(), ALPN,
            b.node.quic().fingerprint())), offer.toString());

        // The session's byte cap (counted per process: the restart started it again): relaying on reaches max_session_bytes and is refused there.
        int status = 200;
        for (int n = 0; n < 20 && status == 200; n++) {
          ObjectNode h = relay(big.blake3(1), idC).put("session", session);
          if (n == 0) h.put("token", a.mint.token(100).encode());
          try (QuicResponse r = c.client().request(relayB, h, true)) {
            status = r.status();
            if (status == 200) {
              received += r.body().readAllBytes().length;
            } else {
              assertEquals(400, status, r.header().toString());
              assertTrue(r.header().path("reason").asText().contains("max_session_bytes"), r.header().toString());
            }
          }
        }
        assertEquals(400, status, "the cap was never reached");

        assertTrue(new String(new archy.testing.BlossomCalls(b.httpUrl()).get("/metrics").body()).lines()
            .anyMatch(l -> l.equals("archy_relay_refused_total{reason=\"session_cap\"} 1.0")), "counted: session_cap");
      } finally {
        b.close();
      }
    }
  }

  /**
   * B learns A's film by syncing from A (and A's advert with its pinned quic endpoint): until then a relay of its
   * blob is "not relayed"; then, unpaid, a 402 of the relay-bandwidth service. Returns the 402's session.
   */
  static String awaitPaymentRequired(QuicEndpoint c, QuicTarget relayB, String blake3, String idC) throws Exception {
    long deadline = System.currentTimeMillis() + 20_000;
    while (true) {
      try (QuicResponse r = c.client().request(relayB, relay(blake3, idC), true)) {
        if (r.status() == 402) {
          assertEquals(PaymentGate.RELAY_BANDWIDTH, r.header().path("service").asText(), r.header().toString());
          assertEquals(2, r.header().path("sats_per_mb").asLong());
          assertTrue(r.header().path("request").asText().startsWith("creqA"));
          return r.header().path("session").asText();
        }
        assertEquals("not relayed", r.header().path("reason").asText().substring(0, 11), r.header().toString());
        assertTrue(System.currentTimeMillis() < deadline, "B never listed the film: " + r.header());
      }
      Thread.sleep(200);
    }
  }

  /**
   * A cold relay passes bytes on as they arrive from upstream: when they fail their hash at the end, B keeps
   * nothing, cuts C's stream off (a reset: C's verified copy keeps nothing) and does not charge C. Two requests at
   * once for a blob B lacks share one fetch from A, and both get the whole blob.
   */
  @Test
  void aColdRelayOfCorruptedBytesCutsCOffUnchargedAndConcurrentRelaysFetchOnce() throws Exception {
    try (PaidNode a = PaidNode.withCatalog(dir.resolve("a"), "", "fetch_allow_private = true\nadvert_check_seconds = 1")) {
      PaidNode.Film film = a.film("free", null, 3 << 20, 2 << 20);
      // A's stored copy of segment 1 gets one byte wrong near its end (same size, so A serves it as it is).
      Path stored;
      try (var files = Files.walk(dir.resolve("a"))) {
        stored = files.filter(p -> p.getFileName().toString().equals(film.sha256(1))).findFirst().orElseThrow();
      }
      stored.toFile().setWritable(true);
      try (FileChannel f = FileChannel.open(stored, StandardOpenOption.WRITE)) {
        f.write(ByteBuffer.wrap(new byte[] {(byte) ~film.blobs().get(1)[film.size(1) - 10]}), film.size(1) - 10);
      }
      Keys keyB = Keys.generate();
      Keys keyC = Keys.generate();
      try (TestNode b = TestNode.start(dir.resolve("b"), relayConfig(keyB, a));
           QuicEndpoint c = QuicPaidBlobsTest.client(dir.resolve("c"), keyC)) {
        a.mint.fund(PaidProbePlugin.wallets.get(keyB.publicKeyHex()), 300);
        EcashPaymentGate gateB = (EcashPaymentGate) PaidProbePlugin.gates.get(keyB.publicKeyHex());
        QuicTarget relayB = new QuicTarget(b.node.quic().endpoint().orElseThrow(), ALPN, b.node.quic().fingerprint());
        String idC = keyC.publicKeyHex();
        String session = awaitPaymentRequired(c, relayB, film.blake3(1), idC);

        try (QuicResponse r = c.client().request(relayB, relay(film.blake3(1), idC).put("session", session)
            .put("token", a.mint.token(20).encode()), true)) {
          assertEquals(200, r.status(), r.header().toString());
          assertEquals(film.size(1), r.header().path("size").asLong(), "the size A announced");
          assertThrows(IOException.class, () -> BlobHttp.copyVerified(r.body(), OutputStream.nullOutputStream(),
              BlobHttp.Address.blake3(film.blake3(1)), Long.MAX_VALUE), "C's stream is cut off");
        }
        assertTrue(PaidProbePlugin.servedTo.get(a.node.node.keys().publicKeyHex())
            .contains(keyB.publicKeyHex() + " " + film.blake3(1)), "B did fetch the blob from A");
        Thread.sleep(1_000); // B's handler settles its reservation as it ends
        gateB.flush();
        assertTrue(b.node.blossom().blobs().byBlake3(film.blake3(1)).isEmpty(), "B committed nothing");
        assertEquals(0, gateB.totals(PaymentGate.RELAY_BANDWIDTH).bytesDebited(), "C was not charged");
        long balance = gateB.balance(session, PaymentGate.RELAY_BANDWIDTH, "relay");
        assertTrue(balance > 2L * film.size(2), "the token's credit is all there: " + balance);

        // Two relays of segment 2 (B lacks it) at once: one fetch from A, both whole, each charged once.
        try (QuicResponse first = c.client().request(relayB, relay(film.blake3(2), idC).put("session", session), true);
             QuicResponse second = c.client().request(relayB, relay(film.blake3(2), idC).put("session", session), true)) {
          assertEquals(200, first.status(), first.header().toString());
          assertEquals(200, second.status(), second.header().toString());
          assertArrayEquals(film.blobs().get(2), second.body().readAllBytes());
          assertArrayEquals(film.blobs().get(2), first.body().readAllBytes());
        }
        assertEquals(1, PaidProbePlugin.serves.get(a.node.node.keys().publicKeyHex() + " " + keyB.publicKeyHex() + " "
            + film.blake3(2)).get(), "A served the blob to B once");
        assertTrue(b.node.blossom().blobs().byBlake3(film.blake3(2)).isPresent(), "B keeps the verified blob");
        assertEquals(2L * film.size(2), awaitDebited(gateB, 2L * film.size(2)).bytesDebited(), "each relay charged once");
        assertEquals(balance - 2L * film.size(2), gateB.balance(session, PaymentGate.RELAY_BANDWIDTH, "relay"));
      }
    }
  }

  /** The tags of the node's kind 10021 offer as its relay serves it (empty before the first is published). */
  static List<List<String>> offerTags(TestNode node, String pubkey) throws Exception {
    List<List<String>> tags = new ArrayList<>();
    try (WsClient ws = WsClient.connectSkippingAuth(node.wsUrl())) {
      ws.send("[\"REQ\",\"offer\",{\"kinds\":[10021],\"authors\":[\"" + pubkey + "\"]}]");
      for (var m = ws.next(); !m.path(0).asText().equals("EOSE"); m = ws.next()) {
        m.path(2).path("tags").forEach(t -> {
          List<String> tag = new ArrayList<>();
          t.forEach(v -> tag.add(v.asText()));
          tags.add(tag);
        });
      }
    }
    return tags;
  }

  static LedgerTotals awaitDebited(EcashPaymentGate gate, long expected) throws Exception {
    long deadline = System.currentTimeMillis() + 5_000;
    LedgerTotals t;
    do {
      gate.flush();
      t = gate.totals(PaymentGate.RELAY_BANDWIDTH);
      if (t.bytesDebited() == expected) return t;
      Thread.sleep(20);
    } while (System.currentTimeMillis() < deadline);
    return t;
  }

  private static void assertRefused(QuicEndpoint client, QuicTarget relay, ObjectNode header, boolean auth, int status,
                                    String reason) throws Exception {
    try (QuicResponse r = client.client().request(relay, header, auth)) {
      assertEquals(status, r.status(), r.header().toString());
      assertTrue(r.header().path("reason").asText().startsWith(reason), r.header().toString());
    }
  }
}
