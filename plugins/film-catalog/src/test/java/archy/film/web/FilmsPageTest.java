package archy.film.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.film.publish.PublishRuns;
import archy.film.publish.PublishRuns.Run;
import archy.nostr.Keys;
import archy.server.ArchyNode;
import archy.testing.FilmsPage;
import archy.testing.TestNode;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The film web app at {@code /films} (issue 15): films published with {@code archy film publish} on a real node,
 * then a viewer in headless Chromium opens the catalog, searches by title, opens the film, plays it past 3 s,
 * switches quality and seeks. Screenshots of both pages land in target/screenshots (docs/images has copies).
 */
class FilmsPageTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final Path SCREENSHOTS = Path.of("target/screenshots").toAbsolutePath();
  @TempDir static Path dir;
  static final Keys nodeKey = Keys.generate();
  static ArchyNode node;
  static String base;
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    int port = TestNode.freePort();
    node = PublishRuns.node(dir.resolve("node"), nodeKey, port, "\"film-catalog\"", "");
    base = "http://127.0.0.1:" + port;
    publish("Studio Bars", "smptebars", 20, 440, "drama");
    publish("Colour Wheel", "testsrc2", 12, 523, "animation");
    publish("Big Buck Pattern", "testsrc", 12, 659, "animation");
  }

  static void publish(String title, String source, int seconds, int hz, String genre) throws Exception {
    Path video = PublishRuns.video(dir.resolve(source + ".mp4"), source, seconds, hz);
    Run r = PublishRuns.film(base, dir.resolve("node"), "publish", video.toString(), "--title", title,
        "--genre", genre, "--summary", "A " + seconds + " s test film (" + source + ").", "--preset", "ultrafast");
    assertEquals(0, r.exit(), r.err());
    awaitReady(r.out().get(1));
  }

  /** Polls the catalog until the film's playlists were read and every blob is here. */
  static void awaitReady(String address) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      JsonNode films = get("/api/film-catalog?a=" + URLEncoder.encode(address, StandardCharsets.UTF_8)).path("films");
      JsonNode a = films.path(0).path("availability");
      if (a.path("playlists").asText().equals("read") && a.path("local").asInt() == a.path("total").asInt()) return;
      if (System.nanoTime() > deadline) throw new AssertionError(address + " never ready: " + films);
      Thread.sleep(50);
    }
  }

  static JsonNode get(String path) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), path + ": " + r.headers().firstValue("X-Reason").orElse(r.body()));
    return JSON.readTree(r.body());
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  @Test
  void pagesAndThePlayerAreServed() throws Exception {
    for (String path : List.of("/films", "/films/", "/films/watch", "/films/hls.min.js", "/films/watch.js")) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), path);
      assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith(
          path.endsWith(".js") ? "text/javascript" : "text/html"), path);
    }
    HttpResponse<String> hls = http.send(HttpRequest.newBuilder(URI.create(base + "/films/hls.min.js")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertTrue(hls.body().length() > 100_000 && hls.body().contains("Hls"), "hls.js from its WebJar");
    HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(base + "/films"))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(405, post.statusCode());
    assertEquals(404, http.send(HttpRequest.newBuilder(URI.create(base + "/films/nope.js")).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode());
    HttpResponse<String> badA = http.send(HttpRequest.newBuilder(URI.create(base + "/api/film-catalog?a=30082:xyz:d"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(400, badA.statusCode());
    assertTrue(badA.headers().firstValue("X-Reason").orElse("").contains("30082:<pubkey hex>:<d>"));
  }

  @Test
  void aViewerSearchesOpensAndPlaysAFilm() throws Exception {
    JsonNode r = FilmsPage.visit(base, "--search", "studio", "--title", "Studio Bars", "--screenshots",
        SCREENSHOTS.toString(), "--timeout-seconds", "90", "--paging", "--genre", "drama");
    assertEquals("done", r.path("step").asText(), r.toPrettyString());
    assertEquals(3, r.path("catalogCards").asInt(), r.toPrettyString());
    assertEquals(List.of("All", "animation", "drama"), JSON.convertValue(r.path("genres"), List.class));
    assertEquals(List.of("Studio Bars"), JSON.convertValue(r.path("searchTitles"), List.class));
    assertEquals(2, r.path("firstPage").asInt(), "?limit=2 shows two");
    assertEquals(3, r.path("afterMore").asInt(), "More loads the next page");
    assertEquals(false, r.path("moreAtEnd").asBoolean(), "no More after the last page");
    assertEquals(false, r.path("moreVisible").asBoolean(), "one page holds all three");
    assertEquals(List.of("Studio Bars"), JSON.convertValue(r.path("genreTitles"), List.class), "genre filter");
    assertTrue(r.path("currentTime").asDouble() >= 3, r.toPrettyString());
    assertEquals(3, r.path("qualityOptions").asInt(), "Auto, 360p, 720p: " + r);
    assertEquals("playing 360p", r.path("levelText").asText(), r.toPrettyString());
    FilmsPage.assertSeeked(r);
    assertTrue(Files.size(SCREENSHOTS.resolve("films-catalog.png")) > 10_000);
    assertTrue(Files.size(SCREENSHOTS.resolve("films-watch.png")) > 10_000);
  }
}
