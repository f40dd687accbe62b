package archy.paidblobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.ecash.ledger.LedgerTotals;
import archy.ecash.wallet.Wallet;
import archy.nostr.Keys;
import archy.testing.BlossomCalls;
import archy.testing.TestNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Priced films spread between real nodes (issue 9): a cold node B fetches a monetized film's blobs from node A
 * through fetch-through, paying A from its own wallet within its caps, or nothing when A counts B's node key among
 * its free peers, and prefers a free origin over paying.
 */
class FilmNetworkTest {
  @TempDir Path dir;

  /** Node B: the catalog trusts A's publisher, asks the given origins, and lets its own viewers watch free. */
  static TestNode nodeB(Path dir, PaidNode a, Keys nodeKey, PaidNode.Film film, String... origins) throws Exception {
    return nodeB(dir, a, nodeKey, film.coordinate(), origins);
  }

  static TestNode nodeB(Path dir, PaidNode a, Keys nodeKey, String coordinate, String... origins) throws Exception {
    String list = String.join(", ", java.util.Arrays.stream(origins).map(o -> "\"" + o + "\"").toList());
    return TestNode.start(dir, a.peerConfig(nodeKey, List.of("ecash-gate", "film-catalog", "paid-blobs", "paid-probe"), "",
        "origin_servers = [" + list + "]", """
        [paid-blobs]
        free_scopes = ["%s"]
        [paid-blobs.client]
        max_sats_per_request = 200""".formatted(coordinate)));
  }

  static void publishTo(TestNode node, archy.nostr.Event event) {
    try (var ws = archy.testing.WsClient.connectSkippingAuth(node.wsUrl())) {
      var ok = archy.testing.RelayCalls.publish(ws, event);
      assertTrue(ok.path(2).asBoolean(), ok.toString());
    }
  }

  static void assertPlaysEveryBlob(TestNode b, PaidNode.Film film) throws Exception {
    BlossomCalls onB = new BlossomCalls(b.httpUrl());
    for (int i = 0; i < film.blobs().size(); i++) {
      String path = "/" + film.sha256(i) + (i == 0 ? ".m3u8" : ".ts");
      HttpResponse<byte[]> r = awaitListedGet(onB, path);
      assertEquals(200, r.statusCode(), path + ": " + r.headers().firstValue("X-Reason").orElse(""));
      assertArrayEquals(film.blobs().get(i), r.body(), path);
    }
  }

  /** B indexes the event behind its write path: a GET before that is a plain 404. */
  static HttpResponse<byte[]> awaitListedGet(BlossomCalls calls, String path) throws Exception {
    long deadline = System.currentTimeMillis() + 10_000;
    HttpResponse<byte[]> r = calls.get(path);
    while (r.statusCode() == 404 && System.currentTimeMillis() < deadline) {
      Thread.sleep(50);
      r = calls.get(path);
    }
    return r;
  }

  @Test
  void aColdNodePaysTheOriginFromItsOwnWalletAndServesTheFilm() throws Exception {
    try (PaidNode a = PaidNode.start(dir.resolve("a"), "")) {
      PaidNode.Film film = a.film("spread", PaidNode.PRICE, 20_000, 20_000, 9_000);
      Keys keyB = Keys.generate();
      try (TestNode b = nodeB(dir.resolve("b"), a, keyB, film, a.url())) {
        Wallet walletB = PaidProbePlugin.wallets.get(keyB.publicKeyHex());
        a.mint.fund(walletB, 300);
        LedgerTotals before = a.totals();
        publishTo(b, film.event(a.publisher, PaidNode.PRICE));
        assertPlaysEveryBlob(b, film);
        long spent = 300 - walletB.balance(a.mint.url());
        long filmBytes = film.blobs().stream().mapToLong(x -> x.length).sum();
        assertTrue(spent >= filmBytes / 1000, "B paid for what it fetched: " + spent + " sat");
        assertTrue(spent <= 200, "within the per-request cap: " + spent);
        assertEquals(spent, a.totals().satsCredited() - before.satsCredited(), "A was paid what B spent");
      }
    }
  }

  /** The whole path with real clients: an ffmpeg film priced on A plays in Chromium on cold B, B paying A. */
  @Test
  void aMonetizedFilmPlaysInABrowserOnAColdNodeThatPaysTheOrigin() throws Exception {
    try (PaidNode a = PaidNode.start(dir.resolve("a"), "")) {
      archy.testing.HlsFilm film = archy.testing.HlsFilm.of(archy.testing.HlsFilm.Spec.DEFAULT.withTone(784));
      film.upload(a.blossom, Keys.generate());
      archy.nostr.Event event = film.event(a.publisher, "priced-hls", archy.testing.HlsFilm.Listing.OMITTED, 10L);
      a.publish(event);
      Keys keyB = Keys.generate();
      try (TestNode b = nodeB(dir.resolve("b"), a, keyB, "30082:" + a.publisher.publicKeyHex() + ":priced-hls",
          a.url())) {
        Wallet walletB = PaidProbePlugin.wallets.get(keyB.publicKeyHex());
        a.mint.fund(walletB, 300);
        LedgerTotals before = a.totals();
        publishTo(b, event);
        assertEquals(200, awaitListedGet(new BlossomCalls(b.httpUrl()), "/" + film.masterSha256() + ".m3u8").statusCode());
        archy.testing.BrowserPlayer.Result played = archy.testing.BrowserPlayer.play(film.masterUrl(b.httpUrl()));
        assertTrue(played.played(), played.describe());
        long spent = 300 - walletB.balance(a.mint.url());
        assertTrue(spent > 0, "B paid A");
        assertEquals(spent, a.totals().satsCredited() - before.satsCredited(), "A was paid what B spent");
      }
    }
  }

  @Test
  void aFreePeerIsServedFreeByItsNodeKey() throws Exception {
    try (PaidNode a = PaidNode.start(dir.resolve("a"), "")) {
      PaidNode.Film film = a.film("peer", PaidNode.PRICE, 20_000, 9_000);
      try (TestNode b = nodeB(dir.resolve("b"), a, a.peer, film, a.url())) {
        LedgerTotals before = a.totals();
        publishTo(b, film.event(a.publisher, PaidNode.PRICE));
        assertPlaysEveryBlob(b, film);
        assertEquals(0, PaidProbePlugin.wallets.get(a.peer.publicKeyHex()).balance(a.mint.url()), "an empty wallet");
        assertEquals(before.satsCredited(), a.totals().satsCredited(), "A was paid nothing");
      }
    }
  }

  @Test
  void aFreeOriginWinsOverPayingAndServesWhenThePaidOneIsDown() throws Exception {
    PaidNode a = PaidNode.start(dir.resolve("a"), "");
    boolean aClosed = false;
    try (TestNode c = TestNode.start(dir.resolve("c"), "")) {
      PaidNode.Film film = a.film("origins", PaidNode.PRICE, 20_000, 20_000, 9_000);
      BlossomCalls onC = new BlossomCalls(c.httpUrl());
      for (byte[] blob : film.blobs()) assertTrue(onC.upload(Keys.generate(), blob, null).statusCode() < 300);
      Keys keyB = Keys.generate();
      try (TestNode b = nodeB(dir.resolve("b"), a, keyB, film, a.url(), c.httpUrl())) {
        Wallet walletB = PaidProbePlugin.wallets.get(keyB.publicKeyHex());
        a.mint.fund(walletB, 300);
        publishTo(b, film.event(a.publisher, PaidNode.PRICE));
        BlossomCalls onB = new BlossomCalls(b.httpUrl());
        assertEquals(200, awaitListedGet(onB, "/" + film.sha256(1) + ".ts").statusCode());
        assertEquals(300, walletB.balance(a.mint.url()), "the free origin C served it, A was not paid");

        a.close();
        aClosed = true;
        assertPlaysEveryBlob(b, film);
        assertEquals(300, walletB.balance(a.mint.url()));
      }
    } finally {
      if (!aClosed) a.close();
    }
  }
}
