package archy.film;

import static archy.film.CatalogNode.list;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.nostr.Keys;
import archy.testing.BlossomCalls;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fetch-through on real nodes: from origins and seeders, only catalog blobs, verified, one fetch per blob. */
class FetchThroughTest {
  @TempDir Path dirA;
  @TempDir Path dirB;
  final Keys publisher = Keys.generate();
  final Keys seeder = Keys.generate();

  String config(String... origins) {
    return "trusted_publishers = " + list(publisher.publicKeyHex()) + "\nfederation_peers = " + list(seeder.publicKeyHex())
        + "\norigin_servers = " + list(origins) + "\nfetch_allow_private = true";
  }

  static void upload(String base, Keys keys, Films.Film film) throws Exception {
    BlossomCalls calls = new BlossomCalls(base);
    assertOk(calls.upload(keys, film.playlistBytes, "application/vnd.apple.mpegurl"));
    assertOk(calls.upload(keys, film.posterBytes, null));
    for (int i = 0; i < film.segmentCount; i++) assertOk(calls.upload(keys, film.segmentBytes.get(i), "video/mp2t"));
  }

  static void assertOk(HttpResponse<String> r) {
    assertTrue(r.statusCode() / 100 == 2, r.statusCode() + " " + r.body());
  }

  static void assertServes(BlossomCalls calls, String path, byte[] expected) throws Exception {
    HttpResponse<byte[]> r = calls.get(path);
    assertEquals(200, r.statusCode(), path + ": " + r.headers().firstValue("X-Reason").orElse(""));
    assertArrayEquals(expected, r.body(), path);
  }

  @Test
  void fetchesCatalogBlobsFromTheOriginAndThenServesThemLocally() throws Exception {
    Films.Film film = Films.film(publisher, "origin");
    CatalogNode a = CatalogNode.start(dirA, config(), "");
    boolean aClosed = false;
    try (CatalogNode b = CatalogNode.start(dirB, config(a.httpUrl()), "")) {
      a.accept(film.sign());
      upload(a.httpUrl(), publisher, film);
      b.accept(film.sign());
      b.awaitCatalog("", CatalogNode.listing("origin"));
      BlossomCalls calls = new BlossomCalls(b.httpUrl());
      assertServes(calls, "/" + film.masterSha256(), film.playlistBytes);
      assertServes(calls, "/b3/" + film.segmentBlake3(0), film.segmentBytes.get(0));
      assertServes(calls, "/api/film/" + film.segmentBlake3(1), film.segmentBytes.get(1));
      // The verified pair of a segment fetched by BLAKE3 is learnt: Blossom GETs by its sha256 find the film.
      assertEquals(1, b.service().filmsWithSha256(Films.sha256(film.segmentBytes.get(0))).size());

      a.close();
      aClosed = true;
      // A fetched blob is the node's own: an uploader of the same bytes deleting its claim does not evict it
      // (with A down, a blob evicted could not be fetched again).
      Keys evictor = Keys.generate();
      assertOk(calls.upload(evictor, film.segmentBytes.get(0), "video/mp2t"));
      assertOk(calls.delete(evictor, Films.sha256(film.segmentBytes.get(0))));
      assertServes(calls, "/" + film.masterSha256(), film.playlistBytes);
      assertServes(calls, "/b3/" + film.segmentBlake3(0), film.segmentBytes.get(0));
      assertServes(calls, "/api/film/" + film.segmentBlake3(1), film.segmentBytes.get(1));
      assertEquals(502, calls.get("/b3/" + film.segmentBlake3(2)).statusCode(), "no origin left for the rest");
    } finally {
      if (!aClosed) a.close();
    }
  }

  @Test
  void prefersAnAdvertisedSeederAndFallsThroughWrongBytesToTheOrigin() throws Exception {
    Films.Film film = Films.film(publisher, "seeded");
    try (FakeBlossom seed = new FakeBlossom(); FakeBlossom origin = new FakeBlossom();
         CatalogNode b = CatalogNode.start(dirB, config(origin.url()), "")) {
      seed.byPath.put("/b3/" + film.segmentBlake3(0), film.segmentBytes.get(0));
      seed.byPath.put("/b3/" + film.segmentBlake3(1), "not the segment".getBytes(StandardCharsets.UTF_8));
      origin.byPath.put("/b3/" + film.segmentBlake3(1), film.segmentBytes.get(1));
      b.accept(film.sign());
      b.accept(Films.advert(seeder, film.playlistBlake3(), film, SyncTest.now() + 3600,
          List.of(List.of("endpoint", "https", seed.url()))));
      b.awaitCatalog("", p -> p.path("films").path(0).path("availability").path("seeders").asInt() == 1);
      BlossomCalls calls = new BlossomCalls(b.httpUrl());

      assertServes(calls, "/b3/" + film.segmentBlake3(0), film.segmentBytes.get(0));
      assertEquals(0, origin.requests("/b3/" + film.segmentBlake3(0)), "the seeder served it");

      assertServes(calls, "/api/film/" + film.segmentBlake3(1), film.segmentBytes.get(1));
      assertEquals(1, origin.requests("/b3/" + film.segmentBlake3(1)), "wrong bytes from the seeder, so the origin was asked");
      assertTrue(b.service().blobSet(publisher.publicKeyHex(), "seeded").stream().map(FilmBlob::blake3).toList().contains(film.segmentBlake3(1)));
    }
  }

  @Test
  void neverFetchesAHashOutsideTheCatalog() throws Exception {
    byte[] stranger = "not a film blob".getBytes(StandardCharsets.UTF_8);
    try (FakeBlossom origin = new FakeBlossom(); CatalogNode b = CatalogNode.start(dirB, config(origin.url()), "")) {
      origin.byPath.put("/" + Films.sha256(stranger), stranger);
      origin.byPath.put("/b3/" + Films.blake3(stranger), stranger);
      BlossomCalls calls = new BlossomCalls(b.httpUrl());
      assertEquals(404, calls.get("/" + Films.sha256(stranger)).statusCode());
      assertEquals(404, calls.get("/b3/" + Films.blake3(stranger)).statusCode());
      assertEquals(404, calls.get("/api/film/" + Films.blake3(stranger)).statusCode());
      assertEquals(0, origin.requests.get());
    }
  }

  @Test
  void privateAddressesAreRefusedUnlessAllowed() throws Exception {
    Films.Film film = Films.film(publisher, "lan");
    try (FakeBlossom origin = new FakeBlossom();
         CatalogNode b = CatalogNode.start(dirB,
             config(origin.url()).replace("fetch_allow_private = true", "fetch_allow_private = false"), "")) {
      origin.byPath.put("/" + film.masterSha256(), film.playlistBytes);
      b.accept(film.sign());
      b.awaitCatalog("", CatalogNode.listing("lan"));
      assertEquals(502, new BlossomCalls(b.httpUrl()).get("/" + film.masterSha256()).statusCode());
      assertEquals(0, origin.requests.get(), "a loopback origin is not asked");
    }
  }

  @Test
  void wrongBytesEverywhereKeepNothing() throws Exception {
    Films.Film film = Films.film(publisher, "liar");
    try (FakeBlossom origin = new FakeBlossom(); CatalogNode b = CatalogNode.start(dirB, config(origin.url()), "")) {
      origin.byPath.put("/" + film.masterSha256(), "#EXTM3U\n# forged\n".getBytes(StandardCharsets.UTF_8));
      b.accept(film.sign());
      b.awaitCatalog("", CatalogNode.listing("liar"));
      BlossomCalls calls = new BlossomCalls(b.httpUrl());
      assertEquals(502, calls.get("/" + film.masterSha256()).statusCode());
      origin.byPath.put("/" + film.masterSha256(), film.playlistBytes);
      assertServes(calls, "/" + film.masterSha256(), film.playlistBytes);
    }
  }

  @Test
  void concurrentGetsOfOneMissingBlobShareOneFetch() throws Exception {
    Films.Film film = Films.film(publisher, "busy");
    try (FakeBlossom origin = new FakeBlossom(); CatalogNode b = CatalogNode.start(dirB, config(origin.url()), "");
         ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      origin.byPath.put("/b3/" + film.segmentBlake3(0), film.segmentBytes.get(0));
      origin.delayMillis = 500;
      b.accept(film.sign());
      b.awaitCatalog("", CatalogNode.listing("busy"));
      BlossomCalls calls = new BlossomCalls(b.httpUrl());
      List<Future<HttpResponse<byte[]>>> gets = new ArrayList<>();
      for (int i = 0; i < 8; i++) gets.add(pool.submit(() -> calls.get("/b3/" + film.segmentBlake3(0))));
      for (Future<HttpResponse<byte[]>> get : gets) {
        assertEquals(200, get.get().statusCode());
        assertArrayEquals(film.segmentBytes.get(0), get.get().body());
      }
      assertEquals(1, origin.requests("/b3/" + film.segmentBlake3(0)));
    }
  }

  /** The two-node test: a film published to A with its blobs on A is listed on B and plays through B. */
  @Test
  void aFilmPublishedToAPlaysThroughB() throws Exception {
    Films.Film film = Films.film(publisher, "two-nodes");
    try (CatalogNode a = CatalogNode.start(dirA, config(), "")) {
      a.accept(film.sign());
      upload(a.httpUrl(), publisher, film);
      try (CatalogNode b = CatalogNode.start(dirB, config(a.httpUrl()) + "\nupstream_relays = " + list(a.wsUrl()), "")) {
        JsonNode page = SyncTest.awaitSynced(b, CatalogNode.listing("two-nodes"));
        JsonNode availability = page.path("films").path(0).path("availability");
        int total = availability.path("total").asInt();
        assertTrue(availability.path("local").asInt() <= 1, "at most the master, read for its playlists");

        BlossomCalls calls = new BlossomCalls(b.httpUrl());
        String master = page.path("films").path(0).path("master_url").asText();
        assertServes(calls, master, film.playlistBytes);
        assertServes(calls, "/b3/" + film.posterBlake3(), film.posterBytes);
        for (int i = 0; i < film.segmentCount; i++) {
          assertServes(calls, "/api/film/" + film.segmentBlake3(i), film.segmentBytes.get(i));
        }
        assertEquals(total, b.catalog("").path("films").path(0).path("availability").path("local").asInt());
      }
    }
  }
}
