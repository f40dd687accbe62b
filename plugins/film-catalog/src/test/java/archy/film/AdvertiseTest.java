package archy.film;

import static archy.film.CatalogNode.list;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.nostr.Keys;
import archy.testing.BlossomCalls;
import archy.testing.MutableClock;
import archy.testing.TestNode;
import archy.testing.WsClient;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node that holds a whole film seeds it (issue 9 item 3): one kind 30081 per film on its own relay (and its
 * upstreams), renewed before it expires, withdrawn by NIP-09 when a blob is gone; another node syncing from it
 * lists it as a seeder.
 */
class AdvertiseTest {
  @TempDir Path dirA;
  @TempDir Path dirB;
  final Keys publisher = Keys.generate();
  final Keys nodeA = Keys.generate();

  /** The node's adverts on its own relay (kind 30081 by its key). */
  static List<JsonNode> adverts(CatalogNode node, String author) {
    try (WsClient ws = WsClient.connectSkippingAuth(node.wsUrl())) {
      ws.send("[\"REQ\",\"ads\",{\"kinds\":[30081],\"authors\":[\"" + author + "\"]}]");
      List<JsonNode> out = new ArrayList<>();
      for (JsonNode m = ws.next(); !m.path(0).asText().equals("EOSE"); m = ws.next()) out.add(m.path(2));
      return out;
    }
  }

  static List<JsonNode> await(CatalogNode node, String author, Predicate<List<JsonNode>> until) throws Exception {
    long deadline = System.nanoTime() + 15_000_000_000L;
    List<JsonNode> found = adverts(node, author);
    while (!until.test(found)) {
      if (System.nanoTime() > deadline) throw new AssertionError("adverts never matched: " + found);
      Thread.sleep(100);
      found = adverts(node, author);
    }
    return found;
  }

  static String tag(JsonNode event, String name) {
    for (JsonNode t : event.path("tags")) if (t.path(0).asText().equals(name)) return t.path(1).asText() + (t.size() > 2 ? " " + t.path(2).asText() : "");
    return null;
  }

  @Test
  void aNodeHoldingAWholeFilmAdvertisesRenewsAndWithdrawsIt() throws Exception {
    MutableClock clock = new MutableClock(Instant.now());
    Films.Film film = Films.film(publisher, "seeded-film").price(3).createdAt(clock.instant().getEpochSecond());
    // An upstream relay A publishes to (its adverts reach nodes syncing from there, not only from A).
    try (CatalogNode upstream = CatalogNode.start(dirB.resolve("upstream"), TestNode.freePort(), "trusted_publishers = "
        + list(publisher.publicKeyHex()) + "\nfederation_peers = " + list(nodeA.publicKeyHex())
        + "\nadvertise = false\nfetch_allow_private = true",
        "", clock)) {
    String config = "trusted_publishers = " + list(publisher.publicKeyHex()) + "\nfetch_allow_private = true"
        + "\nadvert_check_seconds = 1\nadvert_days = 3\nupstream_relays = " + list(upstream.wsUrl());
    try (CatalogNode a = CatalogNode.start(dirA, TestNode.freePort(), config,
        "[node]\nkey = \"" + nodeA.secretHex() + "\"", clock)) {
      Keys uploader = Keys.generate();
      FetchThroughTest.upload(a.httpUrl(), uploader, film);
      a.accept(film.sign());

      JsonNode advert = await(a, nodeA.publicKeyHex(), l -> l.size() == 1).get(0);
      assertEquals(film.playlistBlake3(), tag(advert, "d"));
      assertEquals("30082:" + publisher.publicKeyHex() + ":seeded-film", tag(advert, "a"));
      assertEquals(film.masterSha256(), tag(advert, "x"));
      assertEquals("http " + a.httpUrl(), tag(advert, "endpoint"), "the real scheme of the public URL");
      assertEquals("3 sat", tag(advert, "price"));
      long expires = Long.parseLong(tag(advert, "expiration"));
      assertEquals(clock.instant().getEpochSecond() + 3 * 86_400, expires, 5);
      assertEquals(advert.path("id").asText(), await(upstream, nodeA.publicKeyHex(), l -> l.size() == 1).get(0)
          .path("id").asText(), "the same advert on the upstream relay");

      // Another node syncing from A lists A as a seeder of the film.
      try (CatalogNode b = CatalogNode.start(dirB, TestNode.freePort(), "trusted_publishers = "
          + list(publisher.publicKeyHex()) + "\nfederation_peers = " + list(nodeA.publicKeyHex())
          + "\nupstream_relays = " + list(a.wsUrl()) + "\nfetch_allow_private = true\nadvertise = false", "", clock)) {
        b.awaitCatalog("", p -> p.path("films").path(0).path("availability").path("seeders").asInt() == 1);
        assertEquals(List.of(nodeA.publicKeyHex()),
            b.service().seeders(null, film.segmentBlake3(1)).stream().map(Seeder::pubkey).toList());
      }

      // Two days on, a third of its life is left: renewed with a later expiration.
      clock.advance(Duration.ofDays(2).plusHours(1));
      JsonNode renewed = await(a, nodeA.publicKeyHex(),
          l -> l.size() == 1 && Long.parseLong(tag(l.get(0), "expiration")) > expires).get(0);
      assertTrue(Long.parseLong(tag(renewed, "expiration")) >= clock.instant().getEpochSecond() + 3 * 86_400 - 5);

      // A blob of the film is gone: the advert is withdrawn (NIP-09), so no one is sent here for it.
      String segment = Films.sha256(film.segmentBytes.get(1));
      long now = clock.instant().getEpochSecond();
      BlossomCalls calls = new BlossomCalls(a.httpUrl());
      var token = BlossomCalls.token(uploader, "delete", List.of(List.of("x", segment)), now - 1, now + 600);
      assertEquals(200, calls.send(calls.request("/" + segment).DELETE()
          .header("Authorization", BlossomCalls.header(token))).statusCode());
      await(a, nodeA.publicKeyHex(), List::isEmpty);
      assertEquals(0, a.catalog("").path("films").path(0).path("availability").path("seeders").asInt());
      await(upstream, nodeA.publicKeyHex(), List::isEmpty);
    }
    }
  }

  @Test
  void aFilmNotHeldWholeIsNotAdvertised() throws Exception {
    Films.Film film = Films.film(publisher, "partial");
    try (CatalogNode a = CatalogNode.start(dirA, TestNode.freePort(), "trusted_publishers = "
        + list(publisher.publicKeyHex()) + "\nfetch_allow_private = true\nadvert_check_seconds = 1",
        "[node]\nkey = \"" + nodeA.secretHex() + "\"", java.time.Clock.systemUTC())) {
      BlossomCalls calls = new BlossomCalls(a.httpUrl());
      FetchThroughTest.assertOk(calls.upload(publisher, film.playlistBytes, null));
      FetchThroughTest.assertOk(calls.upload(publisher, film.posterBytes, null));
      a.accept(film.sign());
      a.awaitCatalog("", p -> p.path("films").path(0).path("availability").path("playlists").asText().equals("read"));
      Thread.sleep(2_500); // two advert passes
      assertEquals(List.of(), adverts(a, nodeA.publicKeyHex()), "segments are missing: not a seeder");
    }
  }
}
