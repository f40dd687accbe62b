package archy.blossom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.hash.Blake3;
import archy.nostr.Keys;
import archy.testing.BlossomCalls;
import archy.testing.BrowserPlayer;
import archy.testing.HlsFilm;
import archy.testing.HlsFilm.Blob;
import archy.testing.HlsFilm.Listing;
import archy.testing.HlsFilm.Role;
import archy.testing.TestNode;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real ffmpeg film on one plain node, played by sha256 with hls.js in headless Chromium from another
 * origin (PROTOCOLS.md §1: the master URL alone plays the whole film through plain Blossom GETs). Also proves
 * the harness itself: a film with missing blobs must be reported as not played, with the 404s.
 */
class HlsPlaybackTest {
  private static final Keys uploader = Keys.generate();
  @TempDir static Path sharedDir;
  /** A node holding the whole standard film. */
  private static TestNode full;
  private static BlossomCalls fullCalls;
  @TempDir Path dir;

  @BeforeAll
  static void startFullNode() throws Exception {
    full = TestNode.start(sharedDir, "");
    fullCalls = new BlossomCalls(full.httpUrl());
    HlsFilm.standard().upload(fullCalls, uploader);
  }

  @AfterAll
  static void stopFullNode() {
    if (full != null) full.close();
  }

  @Test
  void theFilmIsInBlossomHlsFormatting() throws Exception {
    HlsFilm film = HlsFilm.standard();
    assertEquals(2, film.renditions().size());
    assertEquals(List.of(240, 360), film.renditions().stream().map(HlsFilm.Rendition::height).toList());
    assertEquals(film.spec().durationSeconds() / film.spec().segmentSeconds(),
        film.renditions().get(0).segments().size());
    assertEquals(uris(film.master()), film.variants().stream().map(Blob::blossomName).toList(),
        "the master names its variants by sha256, relatively");
    for (HlsFilm.Rendition r : film.renditions()) {
      assertEquals(uris(r.playlist()), r.segments().stream().map(Blob::blossomName).toList());
      for (Blob s : r.segments()) assertEquals(0x47, s.bytes()[0] & 0xff, "an MPEG-TS segment starts with a sync byte");
    }
    for (Blob b : film.blobs()) {
      assertEquals(BlossomCalls.sha256(b.bytes()), b.sha256());
      assertEquals(Blake3.hex(b.bytes()), b.blake3());
      assertArrayEquals(b.bytes(), Files.readAllBytes(film.folder().resolve(b.blossomName())));
    }
    assertEquals(1 + 2 + 2 * 4, film.blobs().size());
    assertEquals(film.blobs().size(), film.blobs().stream().map(Blob::sha256).distinct().count(), "no blob twice");
    assertEquals(10, film.segmentRefs(Listing.ALL_BLOBS).size());
    assertEquals(8, film.segmentRefs(Listing.MEDIA_SEGMENTS).size());
    assertTrue(film.segmentRefs(Listing.OMITTED).isEmpty());
    assertTrue(film.blobs().stream().noneMatch(b -> b.sha256().equals(HlsFilm.of(HlsFilm.Spec.DEFAULT.withTone(660))
        .masterSha256())), "another tone makes another film");

    JsonNode content = new ObjectMapper().readTree(film.event(uploader, "test-film", Listing.OMITTED, 2L).content());
    assertEquals(film.master().blake3Ref(), content.path("playlist").asText());
    assertTrue(content.path("segments").isMissingNode());
    assertEquals(2, content.path("monetized").path("sats_per_mb").asLong());
    assertEquals(film.masterSha256(), film.event(uploader, "test-film").tags().stream()
        .filter(t -> t.get(0).equals("x")).findFirst().orElseThrow().get(1));
  }

  @Test
  void chromiumPlaysTheMasterBySha256FromAnotherOrigin() throws Exception {
    HlsFilm film = HlsFilm.standard();
    for (Blob b : film.blobs()) assertArrayEquals(b.bytes(), fullCalls.get(b.path()).body(), b.role() + " as stored");

    // A custom header makes every request a CORS preflighted one, as X-Archy-Session does on paid films.
    BrowserPlayer.Result r = BrowserPlayer.play(film.masterUrl(full.httpUrl()),
        BrowserPlayer.Options.DEFAULT.header("X-Archy-Session", "not-a-real-session"));
    assertTrue(r.played(), r.describe());
    assertTrue(r.currentTime() >= 3, r.describe());
    assertEquals(2, r.levels(), r.describe());
    assertTrue(r.requests().stream().allMatch(q -> q.status() == 200 || q.status() == 206), r.describe());
    Set<String> asked = r.requests().stream().map(q -> q.url().substring(full.httpUrl().length()))
        .collect(Collectors.toSet());
    assertTrue(asked.contains(film.master().path()), r.describe());
    assertTrue(film.variants().stream().anyMatch(v -> asked.contains(v.path())), r.describe());
    assertTrue(film.segments().stream().anyMatch(s -> asked.contains(s.path())), r.describe());
    Set<String> known = film.blobs().stream().map(Blob::path).collect(Collectors.toSet());
    assertTrue(known.containsAll(asked), "hls.js asked only for the film's blobs by sha256: " + r.describe());
  }

  @Test
  void aPinnedRenditionPlaysFromItsOwnBlobsOnly() throws Exception {
    HlsFilm film = HlsFilm.standard();
    HlsFilm.Rendition high = film.renditions().get(1);
    BrowserPlayer.Result r = BrowserPlayer.play(film.masterUrl(full.httpUrl()), BrowserPlayer.Options.DEFAULT.level(1));
    assertTrue(r.played(), r.describe());
    assertEquals(high.height(), r.videoHeight(), r.describe());
    Set<String> own = high.segments().stream().map(Blob::path).collect(Collectors.toSet());
    List<String> segmentsAsked = r.requests().stream().map(q -> q.url().substring(full.httpUrl().length()))
        .filter(p -> p.endsWith(".ts")).toList();
    assertFalse(segmentsAsked.isEmpty(), r.describe());
    assertTrue(own.containsAll(segmentsAsked), r.describe());
  }

  @Test
  void missingVariantsAreReportedAsNotPlayedWithTheir404s() throws Exception {
    HlsFilm film = HlsFilm.standard();
    try (TestNode node = TestNode.start(dir, "")) {
      film.upload(new BlossomCalls(node.httpUrl()), uploader, b -> b.role() != Role.VARIANT);

      BrowserPlayer.Result r = BrowserPlayer.play(film.masterUrl(node.httpUrl()),
          BrowserPlayer.Options.DEFAULT.timeoutSeconds(60));
      assertFalse(r.played(), r.describe());
      assertNotNull(r.fatal(), r.describe());
      assertEquals("networkError", r.fatal().type(), r.describe());
      assertEquals(404, r.fatal().status(), r.describe());
      assertEquals(200, r.requestsEndingWith(film.master().path()).get(0).status(), r.describe());
      List<BrowserPlayer.Request> variantRequests = film.variants().stream()
          .flatMap(v -> r.requestsEndingWith(v.path()).stream()).toList();
      assertFalse(variantRequests.isEmpty(), r.describe());
      assertTrue(variantRequests.stream().allMatch(q -> q.status() == 404), r.describe());
      assertTrue(film.segments().stream().allMatch(s -> r.requestsEndingWith(s.path()).isEmpty()), r.describe());
    }
  }

  @Test
  void playlistsAndRangesCarryCorsForBrowserPlayers() throws Exception {
    HlsFilm film = HlsFilm.standard();
    HttpResponse<byte[]> preflight = fullCalls.send(fullCalls.request(film.master().path())
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "http://player.example")
        .header("Access-Control-Request-Method", "GET")
        .header("Access-Control-Request-Headers", "range,x-archy-session"));
    assertEquals(204, preflight.statusCode());
    assertEquals("*", preflight.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
    String allowed = preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("");
    assertTrue(allowed.contains("Range") && allowed.contains("X-Archy-Session"), allowed);

    Blob segment = film.segments().get(0);
    HttpResponse<byte[]> ranged = fullCalls.get(segment.path(), "Origin", "http://player.example",
        "Range", "bytes=188-375");
    assertEquals(206, ranged.statusCode());
    assertEquals("*", ranged.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
    String exposed = ranged.headers().firstValue("Access-Control-Expose-Headers").orElse("");
    assertTrue(exposed.contains("Content-Range") && exposed.contains("Content-Length"), exposed);
    assertEquals("bytes 188-375/" + segment.size(), ranged.headers().firstValue("Content-Range").orElse(null));
    assertEquals("application/vnd.apple.mpegurl", fullCalls.head(film.master().path()).headers()
        .firstValue("Content-Type").orElse(""));
  }

  /** The URI lines of a playlist. */
  private static List<String> uris(Blob playlist) {
    return new String(playlist.bytes(), StandardCharsets.UTF_8).lines()
        .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
  }
}
