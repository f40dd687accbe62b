package archy.paidblobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.config.Config;
import archy.config.ConfigLoader;
import archy.ecash.ledger.LedgerTotals;
import archy.nostr.Keys;
import archy.quic.QuicClient;
import archy.quic.QuicEndpoint;
import archy.quic.QuicIdentity;
import archy.quic.QuicResponse;
import archy.quic.QuicTarget;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code archy/paid-blobs/1} on a real node (PROTOCOLS.md §5.1): 402 with the request, price and mints; a token
 * pays; the session then pays on QUIC and HTTP alike; a free peer proven by §5.0 auth is served free; the bytes
 * debited are the bytes sent. The nodes keep blob bytes in files here; {@link QuicPaidBlobsS3Test} runs the same
 * tests with them in an S3 bucket.
 */
class QuicPaidBlobsTest {
  @TempDir Path dir;

  /** The {@code [blossom]} keys of node {@code name}: where its blob bytes go (files here). */
  String store(String name) throws Exception {
    return "";
  }

  /** Whether node {@code name}, with its data in {@code data}, holds bytes under this sha256. */
  boolean stored(String name, Path data, String sha256) throws Exception {
    return Files.exists(data.resolve("blobs").resolve(sha256.substring(0, 2)).resolve(sha256.substring(2, 4))
        .resolve(sha256));
  }

  static QuicEndpoint client(Path data, Keys keys) throws Exception {
    Config config = ConfigLoader.parse("[server]\nquic_port = 0\n",
        new ConfigLoader.Overrides("127.0.0.1", 1, null, data, null, null));
    Files.createDirectories(data);
    return new QuicEndpoint(config.server(), config.quic(), QuicIdentity.load(data), keys, Clock.systemUTC());
  }

  static ObjectNode want(String blake3) {
    return new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("want", blake3).put("offset", 0).putNull("length");
  }

  @Test
  void aSessionPaysOverQuicAndHttpAndAFreePeerPaysNothing() throws Exception {
    try (PaidNode a = PaidNode.withStore(dir.resolve("a"), "", "", store("a"));
         QuicEndpoint stranger = client(dir.resolve("stranger"), Keys.generate());
         QuicEndpoint peer = client(dir.resolve("peer"), a.peer)) {
      PaidNode.Film film = a.film("over-quic", PaidNode.PRICE, 30_000, 10_000);
      assertTrue(stored("a", a.dir.resolve("node"), film.sha256(1)), "the segment is in the store under test");
      QuicTarget target = new QuicTarget(a.node.node.quic().endpoint().orElseThrow(), QuicPaidBlobs.ALPN,
          a.node.node.quic().fingerprint());
      QuicClient c = stranger.client();
      LedgerTotals before = a.totals();

      String session;
      try (QuicResponse r = c.request(target, want(film.blake3(1)), false)) {
        assertEquals(402, r.status(), r.header().toString());
        assertTrue(r.header().path("request").asText().startsWith("creqA"));
        assertEquals(PaidNode.PRICE, r.header().path("sats_per_mb").asLong());
        assertEquals(a.mint.url(), r.header().path("mints").path(0).asText());
        session = r.header().path("session").asText();
      }
      try (QuicResponse r = c.request(target, want(film.blake3(1)).put("session", session)
          .put("token", a.mint.token(40).encode()), false)) {
        assertEquals(200, r.status(), r.header().toString());
        assertEquals(30_000, r.header().path("length").asLong());
        assertArrayEquals(film.segments().get(0), r.body().readAllBytes());
      }
      PaidGetTest.awaitBalance(session, film, 10_000);
      // The same session on HTTP, then a range over QUIC: one balance for both transports.
      var http = a.blossom.get("/b3/" + film.blake3(2), "Range", "bytes=0-4999", "X-Archy-Session", session);
      assertEquals(206, http.statusCode());
      PaidGetTest.awaitBalance(session, film, 5_000);
      try (QuicResponse r = c.request(target, want(film.blake3(2)).put("offset", 5_000).put("length", 5_000)
          .put("session", session), false)) {
        assertEquals(200, r.status(), r.header().toString());
        byte[] tail = java.util.Arrays.copyOfRange(film.segments().get(1), 5_000, 10_000);
        assertArrayEquals(tail, r.body().readAllBytes());
      }
      PaidGetTest.awaitBalance(session, film, 0);
      LedgerTotals after = a.totals();
      assertEquals(40, after.satsCredited() - before.satsCredited());
      assertEquals(40_000, after.bytesDebited() - before.bytesDebited(), "bytes debited = bytes sent");

      // A federation peer proven by its node key (§5.0 auth) is served free.
      try (QuicResponse r = peer.client().request(target, want(film.blake3(1)), true)) {
        assertEquals(200, r.status(), r.header().toString());
        assertArrayEquals(film.segments().get(0), r.body().readAllBytes());
      }
      try (QuicResponse r = c.request(target, new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("want", "nope"), false)) {
        assertEquals(400, r.status());
      }
      try (QuicResponse r = c.request(target, want("ab".repeat(32)), false)) {
        assertEquals(404, r.status());
      }
    }
  }

  /**
   * Fetch-through over QUIC (issue 13): A advertises its film with a pinned quic endpoint; cold B, which learns the
   * advert by syncing from A, fetches every blob from A over archy/paid-blobs/1 before HTTP, paying A from its own
   * wallet; A's ledger shows what B spent.
   */
  @Test
  void aColdNodeFetchesAPricedFilmFromAnAdvertisedSeederOverQuic() throws Exception {
    try (PaidNode a = PaidNode.withStore(dir.resolve("a"), "",
        "fetch_allow_private = true\nadvert_check_seconds = 1", store("a"))) {
      PaidNode.Film film = a.film("quic-spread", PaidNode.PRICE, 20_000, 20_000, 9_000);
      String nodeA = a.node.node.keys().publicKeyHex();
      Keys keyB = Keys.generate();
      try (archy.testing.TestNode b = archy.testing.TestNode.start(dir.resolve("b"), a.peerConfig(keyB,
          List.of("ecash-gate", "film-catalog", "paid-blobs", "paid-probe"), "", """
          federation_peers = ["%s"]
          upstream_relays = ["%s"]
          advertise = false""".formatted(nodeA, a.node.wsUrl()), """
          [paid-blobs]
          free_scopes = ["%s"]
          [paid-blobs.client]
          max_sats_per_request = 200
          [blossom]
          %s""".formatted(film.coordinate(), store("b"))))) {
        var walletB = PaidProbePlugin.wallets.get(keyB.publicKeyHex());
        a.mint.fund(walletB, 300);
        LedgerTotals before = a.totals();
        archy.testing.BlossomCalls onB = new archy.testing.BlossomCalls(b.httpUrl());
        // B may read the film's playlists before the funding above lands (its wallet exists only once B runs): that
        // crawl is refused payment, and the next try comes 30 s later (CatalogReader's back-off), hence 60 s.
        long deadline = System.currentTimeMillis() + 60_000;
        var first = onB.get("/" + film.sha256(1) + ".ts");
        while (first.statusCode() != 200 && System.currentTimeMillis() < deadline) { // sync, then the advert
          Thread.sleep(200);
          first = onB.get("/" + film.sha256(1) + ".ts");
        }
        assertEquals(200, first.statusCode(), first.headers().firstValue("X-Reason").orElse(""));
        for (int i = 0; i < film.blobs().size(); i++) {
          var r = onB.get("/b3/" + film.blake3(i));
          assertEquals(200, r.statusCode());
          assertArrayEquals(film.blobs().get(i), r.body());
          assertTrue(stored("b", dir.resolve("b"), film.sha256(i)), "B keeps what it fetched, blob " + i);
        }
        var range = onB.get("/" + film.sha256(2), "Range", "bytes=19980-19999");
        assertEquals(206, range.statusCode());
        assertArrayEquals(java.util.Arrays.copyOfRange(film.blobs().get(2), 19_980, 20_000), range.body());
        String sessions = Files.readString(dir.resolve("b").resolve("plugins/paid-blobs/client-sessions.json"));
        assertTrue(sessions.contains("quic://"), "B paid A over QUIC: " + sessions);
        long spent = 300 - walletB.balance(a.mint.url());
        assertTrue(spent > 0);
        assertEquals(spent, a.totals().satsCredited() - before.satsCredited(), "A was paid what B spent");
      }
    }
  }

  /** A seeder known only by a QUIC endpoint (no HTTP source at all) is still asked: fetch-through is not HTTP-only. */
  @Test
  void aBlobWhoseOnlySourceIsAQuicSeederIsFetched() throws Exception {
    try (PaidNode a = PaidNode.withStore(dir.resolve("a"), "", "", store("a"))) {
      PaidNode.Film film = a.film("quic-only", PaidNode.PRICE, 12_000);
      Keys advertiser = Keys.generate();
      Keys keyB = Keys.generate();
      try (archy.testing.TestNode b = archy.testing.TestNode.start(dir.resolve("b"), """
          [node]
          key = "%s"
          [plugins]
          enabled = ["ecash-gate", "film-catalog", "paid-blobs", "paid-probe"]
          [ecash-gate]
          mints = ["%s"]
          [film-catalog]
          trusted_publishers = ["%s"]
          federation_peers = ["%s"]
          fetch_allow_private = true
          advertise = false
          [paid-blobs]
          free_scopes = ["%s"]
          [blossom]
          %s
          """.formatted(keyB.secretHex(), a.mint.url(), a.publisher.publicKeyHex(), advertiser.publicKeyHex(),
          film.coordinate(), store("b")))) {
        a.mint.fund(PaidProbePlugin.wallets.get(keyB.publicKeyHex()), 100);
        FilmNetworkTest.publishTo(b, film.event(a.publisher, PaidNode.PRICE));
        long expires = System.currentTimeMillis() / 1000 + 3600;
        FilmNetworkTest.publishTo(b, archy.nostr.EventSigner.sign(advertiser, System.currentTimeMillis() / 1000, 30081,
            java.util.List.of(java.util.List.of("d", film.blake3(0)), java.util.List.of("a", film.coordinate()),
                java.util.List.of("endpoint", "quic", a.node.node.quic().endpoint().orElseThrow(), QuicPaidBlobs.ALPN,
                    a.node.node.quic().fingerprint()),
                java.util.List.of("expiration", Long.toString(expires))), ""));
        // The catalog first reads the film's playlist through that seeder (one payment); then the segment comes on
        // the same session. (Two payments raced at one host would meet the payer's interval: a known limit.)
        archy.testing.BlossomCalls onB = new archy.testing.BlossomCalls(b.httpUrl());
        long deadline = System.currentTimeMillis() + 20_000;
        while (!new String(onB.get("/api/film-catalog").body()).contains("\"playlists\":\"read\"")) {
          assertTrue(System.currentTimeMillis() < deadline, "the playlist was never read through the QUIC seeder");
          Thread.sleep(100);
        }
        var r = onB.get("/b3/" + film.blake3(1));
        assertEquals(200, r.statusCode(), r.headers().firstValue("X-Reason").orElse(""));
        assertArrayEquals(film.segments().get(0), r.body());
      }
    }
  }
}
