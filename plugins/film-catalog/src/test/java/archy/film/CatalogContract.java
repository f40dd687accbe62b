package archy.film;

import static archy.film.CatalogNode.ds;
import static archy.film.CatalogNode.list;
import static archy.film.CatalogNode.listing;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.film.Films.Creator;
import archy.film.Films.Film;
import archy.nostr.Event;
import archy.nostr.EventSigner;
import archy.nostr.Keys;
import archy.nostr.Nip19;
import archy.testing.BlossomCalls;
import archy.testing.MutableClock;
import archy.testing.RelayCalls;
import archy.testing.TestNode;
import archy.testing.WsClient;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catalog index and its API, run once per storage back end: paging, search, genres, entry fields,
 * replacement and deletion, seeders, the service lookups, and trust removal across a restart.
 */
abstract class CatalogContract {
  @TempDir Path dir;
  final Keys publisher = Keys.generate();
  final Keys peer = Keys.generate();

  /** TOML that selects the back end ("" for SQLite). */
  abstract String storage();

  CatalogNode start(String filmCatalog) throws Exception {
    return CatalogNode.start(dir, filmCatalog, storage());
  }

  String trusted(Keys... keys) {
    List<String> hex = new ArrayList<>();
    for (Keys k : keys) hex.add(k.publicKeyHex());
    return "trusted_publishers = " + list(hex.toArray(String[]::new)) + "\nfederation_peers = " + list(peer.publicKeyHex())
        + "\norigin_servers = [\"https://origin.example/\"]\n";
  }

  /** A private film's key and its viewers live in the plugin's tables: a restart keeps both (NIP-98 key server). */
  @Test
  void filmKeysAndGrantsSurviveARestart() throws Exception {
    int port = TestNode.freePort();
    java.net.URI node = java.net.URI.create("http://127.0.0.1:" + port);
    java.net.URI keyUrl = archy.film.key.FilmKeyRoute.keyUrl(node, publisher.publicKeyHex(), "secret-film");
    Keys viewer = Keys.generate();
    byte[] key = new byte[16];
    new java.security.SecureRandom().nextBytes(key);
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    try (CatalogNode n = CatalogNode.start(dir, port, trusted(publisher), storage(), java.time.Clock.systemUTC())) {
      assertEquals(201, keyCall(http, "PUT", keyUrl, publisher, key).statusCode());
      assertEquals(200, keyCall(http, "PUT", keyUrl, publisher, key).statusCode(), "the same key again");
      byte[] other = key.clone();
      other[0] ^= 1;
      var changed = keyCall(http, "PUT", keyUrl, publisher, other);
      assertEquals(409, changed.statusCode());
      assertEquals(403, keyCall(http, "PUT", archy.film.key.FilmKeyRoute.keyUrl(node, peer.publicKeyHex(), "x"), peer,
          key).statusCode(), "not a trusted publisher");
      java.net.URI grant = archy.film.key.FilmKeyRoute.grantsUrl(node, publisher.publicKeyHex(), "secret-film",
          viewer.npub());
      assertEquals(200, keyCall(http, "PUT", grant, publisher, null).statusCode());
      assertEquals(403, keyCall(http, "GET", keyUrl, peer, null).statusCode());
    }
    try (CatalogNode n = CatalogNode.start(dir, port, trusted(publisher), storage(), java.time.Clock.systemUTC())) {
      var got = keyCall(http, "GET", keyUrl, viewer, null);
      assertEquals(200, got.statusCode(), got.headers().firstValue("X-Reason").orElse(""));
      org.junit.jupiter.api.Assertions.assertArrayEquals(key, got.body());
    }
  }

  private static java.net.http.HttpResponse<byte[]> keyCall(java.net.http.HttpClient http, String method,
      java.net.URI url, Keys who, byte[] body) throws Exception {
    return http.send(java.net.http.HttpRequest.newBuilder(url).method(method, body == null
            ? java.net.http.HttpRequest.BodyPublishers.noBody() : java.net.http.HttpRequest.BodyPublishers.ofByteArray(body))
        .header("Authorization", archy.film.key.Nip98.header(who, method, url, body, now())).build(),
        java.net.http.HttpResponse.BodyHandlers.ofByteArray());
  }

  static long now() {
    return System.currentTimeMillis() / 1000;
  }

  @Test
  void pagesSearchesAndFiltersByGenre() throws Exception {
    try (CatalogNode node = start(trusted(publisher))) {
      long base = now() - 1000;
      List<String> newestFirst = new ArrayList<>();
      for (int i = 0; i < 25; i++) {
        List<String> genres = new ArrayList<>(List.of(i % 2 == 0 ? "drama" : "comedy"));
        if (i % 5 == 0) genres.add("noir");
        Film f = Films.film(publisher, String.format("film-%02d", i)).title(String.format("Film %02d", i))
            .genres(genres.toArray(String[]::new)).createdAt(base + i);
        node.accept(f.sign());
        newestFirst.add(0, f.d);
      }
      node.accept(Films.film(publisher, "gold").title("100% Pure_Gold").createdAt(base - 1).sign());
      node.awaitCatalog("?limit=100", p -> p.path("films").size() == 26);

      List<String> paged = new ArrayList<>();
      String query = "?limit=10";
      int pages = 0;
      while (true) {
        JsonNode page = node.catalog(query);
        pages++;
        paged.addAll(ds(page));
        if (page.path("next_cursor").isNull()) break;
        query = "?limit=10&cursor=" + page.path("next_cursor").asText();
      }
      List<String> expected = new ArrayList<>(newestFirst);
      expected.add("gold");
      assertEquals(expected, paged, "newest first, every film once");
      assertEquals(3, pages);
      assertEquals(20, node.catalog("").path("films").size(), "default limit");

      assertEquals(List.of("film-19", "film-18", "film-17", "film-16", "film-15", "film-14", "film-13", "film-12",
          "film-11", "film-10"), ds(node.catalog("?q=FILM%201&limit=100")), "case-insensitive title search");
      assertEquals(List.of("gold"), ds(node.catalog("?q=100%25")), "% is a character, not a wildcard");
      assertEquals(List.of(), ds(node.catalog("?q=_")).stream().filter(d -> !d.equals("gold")).toList(), "_ too");
      assertEquals(List.of("film-20", "film-15", "film-10", "film-05", "film-00"), ds(node.catalog("?t=noir")));
      assertEquals(List.of("film-20", "film-10", "film-05", "film-00"), pageAll(node, "?t=noir&q=0&limit=2"),
          "genre and title together, paged");
      assertEquals(13, node.catalog("?t=drama&limit=100").path("films").size());

      for (String bad : List.of("?limit=0", "?limit=101", "?limit=ten", "?cursor=bm90LWEtY3Vyc29y")) {
        CatalogNode.Reply r = node.get("/api/film-catalog" + bad);
        assertEquals(400, r.status(), bad);
        assertTrue(r.raw().headers().firstValue("X-Reason").isPresent(), bad);
        assertEquals("*", r.raw().headers().firstValue("Access-Control-Allow-Origin").orElse(null));
      }
    }
  }

  private static List<String> pageAll(CatalogNode node, String query) throws Exception {
    List<String> all = new ArrayList<>();
    String q = query;
    while (true) {
      JsonNode page = node.catalog(q);
      all.addAll(ds(page));
      if (page.path("next_cursor").isNull()) return all;
      q = query + "&cursor=" + page.path("next_cursor").asText();
    }
  }

  @Test
  void entriesCarryTheContentAndTheCatalogFields() throws Exception {
    try (CatalogNode node = start(trusted(publisher))) {
      Film paid = Films.film(publisher, "paid").genres("drama").price(3).creator(Creator.generate(), true).segments(3);
      Film free = Films.film(publisher, "free").createdAt(now() - 10);
      Event paidEvent = paid.sign();
      node.accept(paidEvent);
      node.accept(free.sign());
      JsonNode films = node.awaitCatalog("", listing("paid", "free")).path("films");
      JsonNode e = films.get(0);
      assertEquals(paid.title, e.path("title").asText());
      assertEquals(paid.summary, e.path("summary").asText());
      assertEquals(90, e.path("duration_s").asLong());
      assertEquals("blake3:" + paid.posterBlake3(), e.path("poster").asText());
      assertEquals("blake3:" + paid.playlistBlake3(), e.path("playlist").asText());
      assertEquals(3, e.path("segments").size());
      assertEquals(1234, e.path("size_bytes").asLong());
      assertEquals(paid.creator.did().did(), e.path("creator_did").asText());
      assertEquals(publisher.publicKeyHex(), e.path("pubkey").asText());
      assertEquals("paid", e.path("d").asText());
      assertEquals(new Nip19.Address("paid", publisher.publicKeyHex(), 30082, List.of(node.wsUrl())),
          Nip19.decode(e.path("naddr").asText()));
      assertEquals(paidEvent.createdAt(), e.path("created_at").asLong());
      assertTrue(e.path("creator_verified").asBoolean());
      assertEquals(3, e.path("monetized").path("sats_per_mb").asLong());
      assertEquals("content-download", e.path("monetized").path("service").asText());
      assertEquals("/" + paid.masterSha256() + ".m3u8", e.path("master_url").asText());
      assertEquals(0, e.path("availability").path("local").asInt(), "no blob store wired yet");
      assertEquals(5, e.path("availability").path("total").asInt(), "playlist, poster, 3 segments");
      assertEquals(0, e.path("availability").path("seeders").asInt());

      JsonNode f = films.get(1);
      assertTrue(f.has("monetized") && f.path("monetized").isNull(), "free films say monetized: null");
      assertFalse(f.path("creator_verified").asBoolean());
    }
  }

  @Test
  void newestVersionWinsAndDeletionsRemove() throws Exception {
    try (CatalogNode node = start(trusted(publisher))) {
      long t = now() - 100;
      Film v1 = Films.film(publisher, "movie").title("First cut").createdAt(t);
      Film v2 = Films.film(publisher, "movie").title("Director's cut").createdAt(t + 10);
      node.accept(v1.sign());
      node.awaitCatalog("", p -> p.path("films").path(0).path("title").asText().equals("First cut"));
      node.accept(v2.sign());
      node.awaitCatalog("", p -> p.path("films").path(0).path("title").asText().equals("Director's cut"));
      node.publish(Films.film(publisher, "movie").title("Older").createdAt(t + 5).sign());
      FilmCatalog catalog = node.service();
      assertEquals(List.of(), catalog.filmsWithBlob(v1.playlistBlake3()), "the old version's blobs left with it");
      assertEquals("Director's cut", catalog.filmsWithBlob(v2.segmentBlake3(0)).get(0).title());
      assertEquals(List.of("movie"), ds(node.catalog("")));

      // Same created_at: the lower id wins (NIP-01), in the store and in the index alike.
      Event a = Films.film(publisher, "tie").title("Tie A").createdAt(t + 20).sign();
      Event b = Films.film(publisher, "tie").title("Tie B").createdAt(t + 20).sign();
      node.publish(a);
      node.publish(b);
      String winner = a.id().compareTo(b.id()) < 0 ? "Tie A" : "Tie B";
      node.awaitCatalog("?q=tie", p -> p.path("films").path(0).path("title").asText().equals(winner));

      node.accept(EventSigner.sign(publisher, now(), 5, List.of(List.of("a", "30082:" + publisher.publicKeyHex() + ":movie")), ""));
      node.awaitCatalog("", listing("tie"));
      Event tie = node.catalog("").path("films").path(0).path("title").asText().equals("Tie A") ? a : b;
      node.accept(EventSigner.sign(publisher, now(), 5, List.of(List.of("e", tie.id())), ""));
      node.awaitCatalog("", listing());
    }
  }

  @Test
  void seedersComeFromUnexpiredAdverts() throws Exception {
    MutableClock clock = new MutableClock(Instant.now());
    try (CatalogNode node = CatalogNode.start(dir, TestNode.freePort(), trusted(publisher), storage(), clock)) {
      Film f = Films.film(publisher, "seeded").segments(3);
      node.accept(f.sign());
      node.awaitCatalog("", listing("seeded"));
      long in = clock.instant().getEpochSecond();
      node.accept(Films.advert(peer, f.playlistBlake3(), f, in + 60, List.of(List.of("price", "2", "sat"))));
      node.accept(Films.advert(publisher, f.segmentBlake3(1), null, in + 3600,
          List.of(List.of("x", Films.sha256(f.segmentBytes.get(1))), List.of("endpoint", "quic", "10.0.0.1:7778", "archy/paid-blobs/1"))));
      node.accept(Films.advert(peer, f.segmentBlake3(2), null, in + 60, List.of()));
      node.awaitCatalog("", p -> p.path("films").path(0).path("availability").path("seeders").asInt() == 2);

      FilmCatalog catalog = node.service();
      List<Seeder> seeders = catalog.seeders(null, f.segmentBlake3(1));
      assertEquals(List.of(publisher.publicKeyHex(), peer.publicKeyHex()), seeders.stream().map(Seeder::pubkey).toList(),
          "the free seeder first; the peer covers every blob of the film");
      assertEquals(List.of(Endpoint.https("https://seeder.example/blobs"), Endpoint.quic("10.0.0.1:7778", "archy/paid-blobs/1", null)),
          seeders.get(0).endpoints());
      assertEquals(2L, seeders.get(1).satsPerMb());
      assertEquals(List.of(peer.publicKeyHex()), catalog.seeders(null, f.segmentBlake3(0)).stream().map(Seeder::pubkey).toList());
      assertEquals(List.of(), catalog.seeders(null, Films.blake3(new byte[] {9})));
      assertEquals(f.segmentBlake3(1), catalog.blake3ForSha256(Films.sha256(f.segmentBytes.get(1))).orElseThrow(),
          "an advert's x tag teaches the catalog its sha256");

      clock.advance(Duration.ofSeconds(120));
      assertEquals(1, node.catalog("").path("films").path(0).path("availability").path("seeders").asInt(),
          "the peer's adverts expired");
      assertEquals(List.of(publisher.publicKeyHex()), catalog.seeders(null, f.segmentBlake3(1)).stream().map(Seeder::pubkey).toList());
    }
  }

  @Test
  void serviceLookups() throws Exception {
    try (CatalogNode node = start(trusted(publisher))) {
      Film f = Films.film(publisher, "looked-up").price(5).segments(2);
      node.accept(f.sign());
      node.awaitCatalog("", listing("looked-up"));
      FilmCatalog catalog = node.service();
      CatalogFilm film = catalog.film(publisher.publicKeyHex(), "looked-up").orElseThrow();
      assertTrue(film.monetized());
      assertEquals(5L, film.satsPerMb());
      assertEquals(f.masterSha256(), film.masterSha256());
      assertEquals(4, film.blobCount());
      assertEquals("30082:" + publisher.publicKeyHex() + ":looked-up", film.coordinate());
      assertEquals(List.of(f.playlistBlake3(), f.posterBlake3(), f.segmentBlake3(0), f.segmentBlake3(1)),
          catalog.blobSet(publisher.publicKeyHex(), "looked-up").stream().map(FilmBlob::blake3).toList());
      assertEquals(List.of(film), catalog.filmsWithBlob(f.segmentBlake3(1)));
      assertEquals(List.of(film), catalog.filmsWithBlob(f.posterBlake3()));
      assertEquals(List.of(film), catalog.filmsWithSha256(f.masterSha256()), "the x tag is the master playlist");
      String segmentSha = Films.sha256(f.segmentBytes.get(0));
      assertEquals(List.of(), catalog.filmsWithSha256(segmentSha), "a segment's sha256 is unknown until learned");
      catalog.learnSha256(f.segmentBlake3(0), segmentSha);
      assertEquals(List.of(film), catalog.filmsWithSha256(segmentSha));
      byte[] held = f.segmentBytes.get(1);
      assertEquals(List.of(), catalog.filmsWithSha256(Films.sha256(held)));
      assertEquals(201, new BlossomCalls(node.httpUrl()).upload(Keys.generate(), held, "video/mp2t").statusCode());
      assertEquals(List.of(film), catalog.filmsWithSha256(Films.sha256(held)), "a blob held here has both hashes");
      assertEquals(List.of(), catalog.filmsWithBlob(Films.blake3(new byte[] {7})));
      assertEquals(List.of(), catalog.filmsWithBlob("not hex"));
      assertEquals(List.of("https://origin.example"), catalog.originServers());
      assertTrue(catalog.isTrustedPublisher(publisher.publicKeyHex()));
      assertFalse(catalog.isTrustedPublisher(peer.publicKeyHex()));
      assertTrue(catalog.film(publisher.publicKeyHex(), "missing").isEmpty());
    }
  }

  @Test
  void filmBlobRouteKnowsCatalogBlobsOnly() throws Exception {
    try (CatalogNode node = start(trusted(publisher))) {
      Film f = Films.film(publisher, "blobby");
      node.accept(f.sign());
      node.awaitCatalog("", listing("blobby"));
      CatalogNode.Reply bad = node.get("/api/film/xyz");
      assertEquals(400, bad.status());
      CatalogNode.Reply unknown = node.get("/api/film/" + Films.blake3(new byte[] {1}));
      assertEquals(404, unknown.status());
      assertEquals("not a blob of a catalog film", unknown.raw().headers().firstValue("X-Reason").orElse(null));
      // A catalog blob is answered by the host's Blossom GET (the /b3/ endpoint): fetch-through first (the
      // configured origin does not resolve: 502), then, once held, its bytes, ranges included.
      BlossomCalls blossom = new BlossomCalls(node.httpUrl());
      var notHeld = blossom.get("/api/film/" + f.segmentBlake3(0));
      assertEquals(502, notHeld.statusCode());
      assertEquals("*", notHeld.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
      byte[] segment = f.segmentBytes.get(0);
      assertTrue(blossom.upload(Keys.generate(), segment, null).statusCode() < 300);
      var held = blossom.get("/api/film/" + f.segmentBlake3(0), "Range", "bytes=1-3");
      assertEquals(206, held.statusCode());
      assertEquals(List.of(segment[1], segment[2], segment[3]),
          List.of(held.body()[0], held.body()[1], held.body()[2]));
    }
  }

  @Test
  void removingAPublisherFromConfigDelistsWithoutDeleting() throws Exception {
    Keys second = Keys.generate();
    Film mine = Films.film(publisher, "mine");
    Film theirs = Films.film(second, "theirs").createdAt(now() - 5);
    Event theirsEvent = theirs.sign();
    try (CatalogNode node = start(trusted(publisher, second))) {
      node.accept(mine.sign());
      node.accept(theirsEvent);
      node.awaitCatalog("", listing("mine", "theirs"));
    }
    try (CatalogNode node = start(trusted(publisher))) {
      assertEquals(List.of("mine"), ds(node.catalog("")), "delisted as soon as the node is up");
      assertEquals(List.of(theirsEvent.id()), RelayCalls.req(node.ws, "kept", "{\"ids\":[\"" + theirsEvent.id() + "\"]}"),
          "the event stays stored");
      assertEquals(List.of(), node.service().filmsWithBlob(theirs.playlistBlake3()));
      assertEquals("blocked: untrusted film publisher", node.publish(Films.film(second, "more").sign()));
    }
    try (CatalogNode node = start(trusted(publisher, second))) {
      assertEquals(List.of("mine", "theirs"), ds(node.catalog("")), "trusted again, listed again");
    }
  }

  @Test
  void startRebuildsWhatChangedWhileThePluginWasOff() throws Exception {
    try (CatalogNode node = start(trusted(publisher))) {
      for (int i = 0; i < 5; i++) node.accept(Films.film(publisher, "r" + i).createdAt(now() - 10 - i).sign());
      node.awaitCatalog("", p -> p.path("films").size() == 5);
    }
    // A plain relay on the same database: no hooks, so it stores whatever it is sent.
    try (TestNode plain = TestNode.start(dir, storage() + "[plugins]\nenabled = []\n");
         WsClient ws = WsClient.connectSkippingAuth(plain.wsUrl())) {
      RelayCalls.publish(ws, EventSigner.sign(publisher, now(), 5, List.of(List.of("a", "30082:" + publisher.publicKeyHex() + ":r0")), ""));
      RelayCalls.publish(ws, Films.film(publisher, "r1").title("Recut").createdAt(now()).sign());
      RelayCalls.publish(ws, Films.film(publisher, "new").createdAt(now() - 1).sign());
      RelayCalls.publish(ws, Films.film(publisher, "broken").content(c -> c.put("duration_s", 0)).sign());
    }
    try (CatalogNode node = start(trusted(publisher))) {
      JsonNode page = node.catalog("");
      assertEquals(List.of("r1", "new", "r2", "r3", "r4"), ds(page), "r0 deleted, r1 replaced, new added, broken refused");
      assertEquals("Recut", page.path("films").path(0).path("title").asText());
    }
  }
}
