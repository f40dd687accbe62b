package archy.paidblobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.blossom.BlossomTokens;
import archy.ecash.TestMint;
import archy.ecash.gate.EcashPaymentGate;
import archy.ecash.gate.PaymentGate;
import archy.ecash.ledger.LedgerTotals;
import archy.ecash.wallet.Wallet;
import archy.nostr.Keys;
import archy.store.Database;
import archy.store.Migrations;
import archy.testing.BlossomCalls;
import archy.testing.TestNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The requester's side of issue 14 with the real clients (not raw QUIC): A sells a film, B relays it (the
 * {@link RelayNetworkTest} relay), C knows B only (its one upstream relay; no origin, no advert of A) and learns B
 * from B's kind 10021 {@code ["relay"]} offer. C's fetch-through obtains every blob of the film through B, B paid A,
 * C paid B, the bytes B metered are the film's, and A never served C. {@code ./archy fetch --via} fetches a blob
 * through B, gets B's refusals of a private film's blob and of a blob outside films (nothing fetched upstream), and
 * refuses B as its own relay; C never relays a GET of B through B (C→B→C).
 */
class RelayClientTest {
  @TempDir Path dir;

  @Test
  void cFetchesAFilmThroughBOnlyAndTheCliFetchesViaARelay() throws Exception {
    try (PaidNode a = PaidNode.withCatalog(dir.resolve("a"), "", "fetch_allow_private = true\nadvert_check_seconds = 1")) {
      PaidNode.Film film = a.film("cheap", 1L, 20_000, 30_000, 9_000);
      PaidNode.Film secret = a.privateFilm("secret", 1L, 7_000);
      byte[] loose = PaidNode.random(5_000);
      assertTrue(a.blossom.upload(Keys.generate(), loose, "video/mp2t").statusCode() < 300, "a blob outside films");
      String nodeA = a.node.node.keys().publicKeyHex();
      Keys keyB = Keys.generate();
      Keys keyC = Keys.generate();
      TestNode b = TestNode.start(dir.resolve("b"), RelayNetworkTest.relayConfig(keyB, a));
      TestNode c = null;
      try {
        Wallet walletB = PaidProbePlugin.wallets.get(keyB.publicKeyHex());
        a.mint.fund(walletB, 300);
        EcashPaymentGate gateB = (EcashPaymentGate) PaidProbePlugin.gates.get(keyB.publicKeyHex());
        LedgerTotals aBefore = a.totals();
        long deadline = System.currentTimeMillis() + 20_000;
        while (!RelayNetworkTest.offerTags(b, keyB.publicKeyHex()).contains(List.of("relay"))) {
          assertTrue(System.currentTimeMillis() < deadline, "B never published its relay offer");
          Thread.sleep(200);
        }

        // C: B is its only upstream; it trusts A's publisher but knows no seeder and no origin of the film.
        // C's own clients read the films free: what is tested is what C pays B.
        c = TestNode.start(dir.resolve("c"), a.peerConfig(keyC, List.of("ecash-gate", "film-catalog", "paid-blobs", "paid-probe"),
            "", "upstream_relays = [\"%s\"]\nadvertise = false".formatted(b.wsUrl()), """
            [paid-blobs]
            free_scopes = ["%s", "%s"]
            [paid-blobs.client]
            max_sats_per_request = 200""".formatted(film.coordinate(), "30082:" + a.publisher.publicKeyHex() + ":later")));
        Wallet walletC = PaidProbePlugin.wallets.get(keyC.publicKeyHex());
        a.mint.fund(walletC, 300);
        BlossomCalls atC = new BlossomCalls(c.httpUrl());

        // Every blob of the film from C, by GETs that C fetches through B (its playlist reader too).
        deadline = System.currentTimeMillis() + 30_000;
        while (atC.get("/b3/" + film.blake3(0)).statusCode() != 200) {
          assertTrue(System.currentTimeMillis() < deadline, "C never obtained the film's playlist through B");
          Thread.sleep(300);
        }
        long filmBytes = 0;
        for (int i = 0; i < film.blobs().size(); i++) {
          HttpResponse<byte[]> got = atC.get("/b3/" + film.blake3(i));
          assertEquals(200, got.statusCode(), "blob " + i);
          assertArrayEquals(film.blobs().get(i), got.body(), "blob " + i);
          filmBytes += film.size(i);
        }
        String metricsC = new String(atC.get("/metrics").body());
        assertTrue(metricsC.lines().anyMatch(l -> l.equals("archy_film_fetch_total{outcome=\"relayed\"} "
            + film.blobs().size() + ".0")), "each blob relayed once: " + metricsC.lines()
            .filter(l -> l.startsWith("archy_film_fetch_total")).toList());

        LedgerTotals relayed = RelayNetworkTest.awaitDebited(gateB, filmBytes);
        assertEquals(filmBytes, relayed.bytesDebited(), "the bytes C received = the bytes B metered as relay-bandwidth");
        long paidC = 300 - walletC.balance(a.mint.url());
        assertTrue(paidC > 0, "C paid B");
        assertEquals(paidC, relayed.satsCredited() + relayed.swapFees(), "B's relay-bandwidth rows hold what C paid");
        assertEquals(0, gateB.totals(PaymentGate.CONTENT_DOWNLOAD).bytesDebited(), "no relay byte was a download at B");
        long spentB = 300 + relayed.satsReceived() - walletB.balance(a.mint.url());
        assertTrue(spentB > 0, "B paid A for the blobs");
        assertEquals(spentB, a.totals().satsCredited() - aBefore.satsCredited(), "A was paid what B spent");
        assertTrue(PaidProbePlugin.servedTo.get(nodeA).contains(keyB.publicKeyHex() + " " + film.blake3(1)), "A served B");
        assertFalse(PaidProbePlugin.servedTo.get(nodeA).stream().anyMatch(s -> s.startsWith(keyC.publicKeyHex())),
            "A never served C");

        // C→B→C: a GET at C made by B (B's BUD-11 token, as B's fetch-through sends) is never relayed through B.
        PaidNode.Film later = a.film("later", 1L, 11_000);
        deadline = System.currentTimeMillis() + 30_000;
        while (!new String(atC.get("/api/film-catalog").body()).contains("Film later")) {
          assertTrue(System.currentTimeMillis() < deadline, "C never listed the second film");
          Thread.sleep(300);
        }
        // Its playlist first (C's playlist reader relays it through B too), so B's count is still while C is asked.
        HttpResponse<byte[]> playlist;
        while ((playlist = atC.get("/b3/" + later.blake3(0))).statusCode() != 200) {
          assertTrue(System.currentTimeMillis() < deadline, "C never obtained the second film's playlist");
          Thread.sleep(1_000);
        }
        assertArrayEquals(later.blobs().get(0), playlist.body());
        assertEquals(filmBytes + later.size(0), RelayNetworkTest.awaitDebited(gateB, filmBytes + later.size(0))
            .bytesDebited(), "the playlist was relayed once");
        gateB.flush();
        long relayedBefore = gateB.totals(PaymentGate.RELAY_BANDWIDTH).bytesDebited();
        String asB = BlossomTokens.header(keyB, "get", "127.0.0.1", later.sha256(1), BlossomCalls.now());
        HttpResponse<byte[]> loop = atC.get("/b3/" + later.blake3(1), "Authorization", asB);
        assertEquals(404, loop.statusCode(), "C has no other source than B, the requester");
        gateB.flush();
        assertEquals(relayedBefore, gateB.totals(PaymentGate.RELAY_BANDWIDTH).bytesDebited(), "B relayed nothing for it");
        // (B may answer 502 for a moment: its payer pays A once per film scope within min_pay_interval_seconds, and
        // B's own playlist reader may be paying A for this film right now.)
        HttpResponse<byte[]> anyone;
        deadline = System.currentTimeMillis() + 30_000;
        while ((anyone = atC.get("/b3/" + later.blake3(1))).statusCode() != 200) {
          assertEquals(502, anyone.statusCode(), "the same blob for anyone else comes through B");
          assertTrue(System.currentTimeMillis() < deadline, "B never relayed the blob to C");
          Thread.sleep(1_000);
        }
        assertArrayEquals(later.blobs().get(1), anyone.body());
        long relayedToC = filmBytes + later.size(0) + later.size(1);
        assertEquals(relayedToC, RelayNetworkTest.awaitDebited(gateB, relayedToC).bytesDebited());

        // ./archy fetch --via: its own data dir and wallet, C's key; B found by npub or by host:port.
        Path home = dir.resolve("cli");
        Files.createDirectories(home);
        Path config = home.resolve("archy.toml");
        String cliToml = """
            [server]
            data_dir = "%s"
            [node]
            key = "%%s"
            [ecash-gate]
            mints = ["%s"]
            [film-catalog]
            upstream_relays = ["%s"]
            [paid-blobs.client]
            max_sats_per_request = 50
            """.formatted(home.resolve("data").toString().replace("\\", "/"), a.mint.url(), b.wsUrl());
        Files.writeString(config, cliToml.formatted(keyC.secretHex()));
        try (Database db = Database.open("sqlite", home.resolve("data"))) {
          Migrations.apply(db.dataSource(), db.dialect(), "ecash-gate", getClass().getClassLoader());
          Wallet cli = Wallet.open(new archy.ecash.Db(db.dataSource(), db.dialect()),
              TestMint.mints(List.of(a.mint.url())), Clock.systemUTC());
          a.mint.fund(cli, 100);
          String hostPortB = b.node.quic().endpoint().orElseThrow();

          Path out = dir.resolve("segment.ts");
          FilmFetchTest.Run run = FilmFetchTest.fetch("blake3:" + film.blake3(2), "--via", keyB.npub(), "-o",
              out.toString(), "--config", config.toString());
          assertEquals(0, run.code(), run.err());
          assertArrayEquals(film.blobs().get(2), Files.readAllBytes(out));
          assertTrue(run.err().contains("through relay " + keyB.publicKeyHex()), run.err());
          long paidCli = 100 - cli.balance(a.mint.url());
          assertTrue(paidCli > 0 && paidCli <= 50, "the CLI paid B within its cap: " + paidCli);
          long metered = relayedToC + film.size(2);
          assertEquals(metered, RelayNetworkTest.awaitDebited(gateB, metered).bytesDebited(), "B metered the CLI's bytes");

          // By host:port, on the session the first run bought (kept in the data dir): nothing more to pay.
          Path again = dir.resolve("playlist.m3u8");
          run = FilmFetchTest.fetch("blake3:" + film.blake3(0), "--via", hostPortB, "-o", again.toString(), "--config",
              config.toString());
          assertEquals(0, run.code(), run.err());
          assertArrayEquals(film.blobs().get(0), Files.readAllBytes(again));
          assertEquals(100 - paidCli, cli.balance(a.mint.url()), "the second run spent the session's credit");

          // B's refusals, each with its status and reason; nothing fetched upstream, nothing paid.
          deadline = System.currentTimeMillis() + 20_000;
          while (true) {
            run = FilmFetchTest.fetch("blake3:" + secret.blake3(1), "--via", keyB.npub(), "-o",
                dir.resolve("secret").toString(), "--config", config.toString());
            assertEquals(1, run.code(), run.err());
            if (run.err().contains("the relay refused: 400 not relayed: the blob belongs to an encrypted film")) break;
            assertTrue(run.err().contains("the relay refused: 400 not relayed"), run.err());
            assertTrue(System.currentTimeMillis() < deadline, "B never listed the private film: " + run.err());
            Thread.sleep(300);
          }
          run = FilmFetchTest.fetch("blake3:" + archy.hash.Blake3.hex(loose), "--via", keyB.npub(), "-o",
              dir.resolve("loose").toString(), "--config", config.toString());
          assertEquals(1, run.code(), run.err());
          assertTrue(run.err().contains("the relay refused: 400 not relayed: blake3:"), run.err());
          assertTrue(run.err().contains("is no blob of a trusted public film"), run.err());
          assertTrue(b.node.blossom().blobs().byBlake3(secret.blake3(1)).isEmpty(), "B fetched nothing for the private film");
          assertTrue(b.node.blossom().blobs().byBlake3(archy.hash.Blake3.hex(loose)).isEmpty(), "nor for the loose blob");
          assertFalse(Files.exists(dir.resolve("secret")) || Files.exists(dir.resolve("loose")), "no file kept");
          assertEquals(100 - paidCli, cli.balance(a.mint.url()), "a refusal costs nothing");

          // B relaying through itself: refused as a loop before anything is dialled.
          Files.writeString(config, cliToml.formatted(keyB.secretHex()));
          run = FilmFetchTest.fetch("blake3:" + film.blake3(1), "--via", keyB.npub(), "-o",
              dir.resolve("self").toString(), "--config", config.toString());
          assertEquals(1, run.code(), run.err());
          assertTrue(run.err().contains("the relay refused: 400 loop"), run.err());
        }

        // D prefers relays: it could fetch from A (an origin it is configured with), yet goes through B first.
        // "prefer" is first, not only: what B refuses (the private film) D still reads from A.
        Keys keyD = Keys.generate();
        try (TestNode d = TestNode.start(dir.resolve("d"), a.peerConfig(keyD, List.of("ecash-gate", "film-catalog",
            "paid-blobs", "paid-probe"), "", """
            upstream_relays = ["%s"]
            origin_servers = ["%s"]
            advertise = false
            prefer_relay = true""".formatted(b.wsUrl(), a.url()), """
            [paid-blobs]
            free_scopes = ["%s"]
            [paid-blobs.client]
            # D's playlist reader and the GET below may both meet B's 402 at once; with the default 10 s between two
            # payments to one host the second would be declined and, relays being first and not only, go to A.
            min_pay_interval_seconds = 0""".formatted(film.coordinate())))) {
          a.mint.fund(PaidProbePlugin.wallets.get(keyD.publicKeyHex()), 100);
          BlossomCalls atD = new BlossomCalls(d.httpUrl());
          HttpResponse<byte[]> got;
          deadline = System.currentTimeMillis() + 30_000;
          while ((got = atD.get("/b3/" + film.blake3(1))).statusCode() != 200) {
            assertTrue(System.currentTimeMillis() < deadline, "D never obtained the blob: " + got.statusCode());
            Thread.sleep(300);
          }
          assertArrayEquals(film.blobs().get(1), got.body());
          String metricsD = new String(atD.get("/metrics").body());
          assertTrue(metricsD.lines().anyMatch(l -> l.startsWith("archy_film_fetch_total{outcome=\"relayed\"} ")
              && !l.endsWith(" 0.0")), "D relayed");
          assertFalse(PaidProbePlugin.servedTo.get(nodeA).contains(keyD.publicKeyHex() + " " + film.blake3(1)),
              "A never served D the blob");
        }
      } finally {
        if (c != null) c.close();
        b.close();
      }
    }
  }
}
