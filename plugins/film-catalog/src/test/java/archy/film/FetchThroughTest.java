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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fetch-through on real nodes: from origins and seeders, only catalog blobs, verified, one fetch per blob. The
 * fetching node B keeps its bytes in files here; {@link FetchThroughS3Test} runs the same tests with them in S3.
 */
class FetchThroughTest {
  @TempDir Path dirA;
  @TempDir Path dirB;
  final Keys publisher = Keys.generate();
  final Keys seeder = Keys.generate();

  /** More TOML for node B: where its blob bytes go (files here). */
  String storeB() throws Exception {
    return "";
  }

  /** Whether B's store holds bytes under this sha256. */
  boolean storedOnB(String sha256) throws Exception {
    return Files.exists(dirB.resolve("blobs").resolve(sha256.substring(0, 2)).resolve(sha256.substring(2, 4))
        .resolve(sha256));
  }

  /** What fetches into B's store left staged (none once each is committed or refused). */
  long stagedOnB() throws Exception {
    try (var files = Files.walk(dirB)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".part")).count();
    }
  }

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
    try (CatalogNode b = CatalogNode.start(dirB, config(a.httpUrl()), storeB())) {
      a.accept(film.sign());
      upload(a.httpUrl(), publisher, film);
      b.accept(film.sign());
      b.awaitCatalog("", CatalogNode.listing("origin"));
      BlossomCalls calls = new BlossomCalls(b.httpUrl());
      assertServes(calls, "/" + film.masterSha256(), film.playlistBytes);
      assertServes(calls, "/b3/" + film.segmentBlake3(0), film.segmentBytes.get(0));
      assertServes(calls, "/api/film/" + film.segmentBlake3(1), film.segmentBytes.get(1));
      assertTrue(storedOnB(film.masterSha256()) && storedOnB(Films.sha256(film.segmentBytes.get(1))),
          "fetched blobs are in B's store");
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
         CatalogNode b = CatalogNode.start(dirB, config(origin.url()), storeB())) {
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

  /**
   * A seeder advertised while the film's first playlist read is in flight (it looked for sources before the advert
   * came): the read is tried again as soon as it fails, not after the 30 s back-off.
   */
  @Test
  void aSeederAdvertisedDuringAFailingReadIsAskedAtOnce() throws Exception {
    Films.Film film = Films.film(publisher, "late-seeder");
    try (FakeBlossom seed = new FakeBlossom(); FakeBlossom origin = new FakeBlossom();
         CatalogNode b = CatalogNode.start(dirB, config(origin.url()), storeB())) {
      seed.byPath.put("/b3/" + film.playlistBlake3(), film.playlistBytes);
      seed.byPath.put("/" + film.masterSha256(), film.playlistBytes);
      origin.delayMillis = 3_000; // the first read waits on the origin, which has nothing
      b.accept(film.sign());
      long deadline = System.currentTimeMillis() + 10_000;
      while (origin.requests.get() == 0) {
        assertTrue(System.currentTimeMillis() < deadline, "the playlist was never asked for");
        Thread.sleep(10);
      }
      b.accept(Films.advert(seeder, film.playlistBlake3(), film, SyncTest.now() + 3600,
          List.of(List.of("endpoint", "https", seed.url()))));
      b.awaitCatalog("", p -> p.path("films").path(0).path("availability").path("playlists").asText().equals("read"));
      assertTrue(seed.requests.get() > 0, "read from the seeder");
    }
  }

  @Test
  void neverFetchesAHashOutsideTheCatalog() throws Exception {
    byte[] stranger = "not a film blob".getBytes(StandardCharsets.UTF_8);
    try (FakeBlossom origin = new FakeBlossom(); CatalogNode b = CatalogNode.start(dirB, config(origin.url()), storeB())) {
      origin.byPath.put("/" + Films.sha256(stranger), stranger);
      origin.byPath.put("/b3/" + Films.blake3(stranger), stranger);
      BlossomCalls calls = new BlossomCalls(b.httpUrl());
      assertEquals(404, calls.get("/" + Films.sha256(stranger)).statusCode());
      assertEquals(404, calls.get("/b3/" + Films.blake3(stranger)).statusCode());
      assertEquals(404, calls.get("/api/film/" + Films.blake3(stranger)).statusCode());
      assertEquals(0, origin.requests.get());
    }
  }

  /**
   * A segment of several 8 MiB upload parts (a multipart upload on S3), first asked for by a range: fetched whole,
   * verified and stored, then every range is served from B's store, including open-ended and suffix ones.
   */
  @Test
  void aLargeSegmentFirstAskedByARangeIsStoredWholeAndServedByRanges() throws Exception {
    Films.Film film = Films.film(publisher, "large");
    byte[] large = new byte[(17 << 20) + 321];
    new Random(5).nextBytes(large);
    film.segmentBytes.set(0, large);
    String sha = Films.sha256(large);
    try (CatalogNode a = CatalogNode.start(dirA, config(), "");
         CatalogNode b = CatalogNode.start(dirB, config(a.httpUrl()), storeB())) {
      a.accept(film.sign());
      upload(a.httpUrl(), publisher, film);
      b.accept(film.sign());
      b.awaitCatalog("", CatalogNode.listing("large"));
      BlossomCalls calls = new BlossomCalls(b.httpUrl());
      int first = (8 << 20) - 10; // across the first part boundary
      HttpResponse<byte[]> range = calls.get("/b3/" + film.segmentBlake3(0), "Range",
          "bytes=" + first + "-" + (first + 19));
      assertEquals(206, range.statusCode(), range.headers().firstValue("X-Reason").orElse(""));
      assertEquals("bytes " + first + "-" + (first + 19) + "/" + large.length,
          range.headers().firstValue("Content-Range").orElseThrow());
      assertArrayEquals(Arrays.copyOfRange(large, first, first + 20), range.body());
      assertTrue(storedOnB(sha), "stored whole under its sha256");
      assertEquals(0, stagedOnB(), "nothing left staged");

      assertServes(calls, "/" + sha + ".ts", large);
      assertEquals(String.valueOf(large.length), calls.head("/b3/" + film.segmentBlake3(0)).headers()
          .firstValue("Content-Length").orElseThrow());
      HttpResponse<byte[]> tail = calls.get("/" + sha, "Range", "bytes=" + (large.length - 1000) + "-");
      assertEquals(206, tail.statusCode());
      assertArrayEquals(Arrays.copyOfRange(large, large.length - 1000, large.length), tail.body());
      HttpResponse<byte[]> suffix = calls.get("/b3/" + film.segmentBlake3(0), "Range", "bytes=-300");
      assertEquals(206, suffix.statusCode());
      assertArrayEquals(Arrays.copyOfRange(large, large.length - 300, large.length), suffix.body());
    }
  }

  @Test
  void privateAddressesAreRefusedUnlessAllowed() throws Exception {
    Films.Film film = Films.film(publisher, "lan");
    try (FakeBlossom origin = new FakeBlossom();
         CatalogNode b = CatalogNode.start(dirB,
             config(origin.url()).replace("fetch_allow_private = true", "fetch_allow_private = false"), storeB())) {
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
    try (FakeBlossom origin = new FakeBlossom(); CatalogNode b = CatalogNode.start(dirB, config(origin.url()), storeB())) {
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
    try (FakeBlossom origin = new FakeBlossom(); CatalogNode b = CatalogNode.start(dirB, config(origin.url()), storeB());
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
      try (CatalogNode b = CatalogNode.start(dirB, config(a.httpUrl()) + "\nupstream_relays = " + list(a.wsUrl()), storeB())) {
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
