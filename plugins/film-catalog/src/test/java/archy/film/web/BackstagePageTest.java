package archy.film.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.film.publish.PublishRuns;
import archy.nostr.Keys;
import archy.testing.FilmsPage;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backstage page (issue 15) in headless Chromium with a NIP-07 signer holding a trusted publisher's key: the
 * upload of a real 10 s video in small chunks loses its connection, the page is reloaded and the same file chosen
 * again continues at the node's offset; the node transcodes it (progress shown), the page fills title, genres and
 * price, signs the 30082 and publishes, removes the source from the node, and the film is then in /films. Screenshot: target/screenshots/backstage.png
 * (docs/images has a copy).
 */
class BackstagePageTest {
  @TempDir static Path dir;
  static final Keys publisher = Keys.generate();
  static PublishRuns.Started node;

  @BeforeAll
  static void start() throws Exception {
    node = PublishRuns.start(dir.resolve("node"), publisher);
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  @Test
  void aPublisherUploadsResumesTranscodesAndPublishes() throws Exception {
    Path video = PublishRuns.video(dir.resolve("Night Shift.mp4"), "testsrc", 10, 523);
    long size = Files.size(video);
    int chunk = 32 * 1024;
    JsonNode r = FilmsPage.backstage(node.base(), "--video", video.toString(), "--title", "Night Shift",
        "--genres", "Drama, Backstage", "--price", "3", "--nip07-secret", publisher.secretHex(), "--screenshots",
        FilmsPageTest.SCREENSHOTS.toString(), "--chunk-bytes", Integer.toString(chunk), "--drop-after", "3",
        "--timeout-seconds", "150");
    assertEquals("done", r.path("step").asText(), r.toPrettyString());
    assertTrue(r.path("who").asText().contains(publisher.publicKeyHex().substring(0, 12)), r.toPrettyString());
    assertTrue(r.path("dropped").asBoolean() && r.path("stoppedText").asText().contains("stopped"),
        r.toPrettyString());
    assertTrue(r.path("pickUpText").asText().contains("Night Shift.mp4 again"), r.toPrettyString());
    assertEquals(3L * chunk, r.path("resumedAt").asLong(), "resumed where the node's offset was: " + r);
    assertTrue(size > 4L * chunk, "several chunks: " + size);
    assertTrue(r.path("transcodePercents").size() > 0, "the page showed ffmpeg's progress: " + r);
    assertEquals(640, r.path("posterWidth").asInt(), "the poster frame, from the node's store: " + r);
    assertTrue(r.path("readyText").asText().contains("night-shift-"), r.toPrettyString());
    String address = "30082:" + publisher.publicKeyHex() + ":";
    assertTrue(r.path("address").asText().startsWith(address), r.toPrettyString());
    assertTrue(r.path("watch").asText().startsWith("/films/watch?a="), r.toPrettyString());
    assertTrue(r.path("removedText").asText().contains("the film stays"), r.toPrettyString());
    try (var left = Files.list(dir.resolve("node/plugins/film-catalog/backstage"))) {
      assertTrue(left.findAny().isEmpty(), "the source left the node's disk");
    }
    assertTrue(r.path("catalogTitles").toString().contains("\"Night Shift\""), r.toPrettyString());

    FilmsPageTest.base = node.base();
    FilmsPageTest.awaitReady(r.path("address").asText());
    JsonNode film = FilmsPageTest.get("/api/film-catalog?a=" + java.net.URLEncoder.encode(
        r.path("address").asText(), java.nio.charset.StandardCharsets.UTF_8)).path("films").path(0);
    assertEquals(java.util.Set.of("backstage", "drama"), new java.util.HashSet<>(
        new com.fasterxml.jackson.databind.ObjectMapper().convertValue(film.path("genres"), java.util.List.class)),
        film.toString());
    assertEquals(3, film.path("monetized").path("sats_per_mb").asInt(), film.toString());
  }
}
