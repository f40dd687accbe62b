package archy.paidblobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.testing.FilmsPage;
import archy.testing.HlsFilm;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A monetized film in the web app (issue 15): a viewer in headless Chromium opens the film, is shown the price on
 * the first 402, pastes a token the node refuses (the page shows the node's X-Reason and asks again), then a real
 * dev-mint token: the page sends it once with the 402's session, keeps the session for every later request, and
 * the film plays, switches quality and seeks.
 */
class FilmsPagePaymentTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final Path SCREENSHOTS = Path.of("target/screenshots").toAbsolutePath();
  @TempDir static Path dir;
  static PaidNode node;

  @BeforeAll
  static void start() throws Exception {
    node = PaidNode.start(dir, "");
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) node.close();
  }

  @Test
  void aViewerPaysWithAPastedTokenAndWatches() throws Exception {
    HlsFilm film = HlsFilm.of(HlsFilm.Spec.DEFAULT.withTone(988));
    film.upload(node.blossom, node.publisher);
    // 10 sat per MB: the 100 sat token buys 10 MB, several times this small film.
    node.publish(film.event(node.publisher, "paid-film", HlsFilm.Listing.ALL_BLOBS, 10L));
    long deadline = System.currentTimeMillis() + 30_000;
    while (node.blossom.get(film.master().path()).statusCode() != 402) {
      assertTrue(System.currentTimeMillis() < deadline, "the priced film never asked for payment");
      Thread.sleep(50);
    }
    String token = node.mint.token(100).encode();
    JsonNode r = FilmsPage.visit(node.url(), "--search", "paid", "--title", "Film paid-film", "--screenshots",
        SCREENSHOTS.toString(), "--bad-token", "cashuBnotatoken", "--token", token, "--timeout-seconds", "90");
    assertEquals("done", r.path("step").asText(), r.toPrettyString());
    assertTrue(r.path("payText").asText().contains("10 sat/MB"), r.path("payText").asText());
    assertTrue(r.path("badTokenError").asText().startsWith("The node refused the token: "), r.toPrettyString());
    assertTrue(r.path("badTokenError").asText().length() > "The node refused the token: ".length(), "with a reason");
    assertTrue(r.path("paid").asBoolean());
    assertTrue(r.path("currentTime").asDouble() >= 3, r.toPrettyString());
    assertEquals("playing 240p", r.path("levelText").asText(), r.toPrettyString());
    FilmsPage.assertSeeked(r);
    // The bad token got one 400; after the paid master playlist no request was refused: the session was kept.
    java.util.List<String> requests = new java.util.ArrayList<>();
    r.path("requests").forEach(n -> requests.add(n.asText()));
    int refused = -1, paidAt = -1;
    for (int i = 0; i < requests.size(); i++) {
      if (refused < 0 && requests.get(i).startsWith("400 ")) refused = i;
      if (refused >= 0 && paidAt < 0 && requests.get(i).startsWith("200 ") && requests.get(i).endsWith(".m3u8")) paidAt = i;
    }
    assertTrue(refused >= 0 && paidAt > refused, String.join("\n", requests));
    for (String req : requests.subList(paidAt, requests.size())) {
      assertTrue(!req.startsWith("402 ") && !req.startsWith("400 "), "after paying: " + req);
    }
    assertEquals(100, node.totals().satsCredited(), "the node took the token once: " + node.totals());
  }
}
