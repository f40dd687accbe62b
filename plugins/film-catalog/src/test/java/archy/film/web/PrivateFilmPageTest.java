package archy.film.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.film.publish.PublishRuns;
import archy.film.publish.PublishRuns.Run;
import archy.nostr.Keys;
import archy.testing.FilmsPage;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A private film in the web app (issue 15): published with {@code --private}, it plays in headless Chromium for a
 * viewer whose NIP-07 key was granted ({@code archy film grant}), and refuses another key with the node's reason.
 */
class PrivateFilmPageTest {
  @TempDir static Path dir;
  static final Keys nodeKey = Keys.generate();
  static PublishRuns.Started node;
  static String base;

  @BeforeAll
  static void start() throws Exception {
    node = PublishRuns.start(dir.resolve("node"), nodeKey);
    base = node.base();
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  @Test
  void aGrantedViewerPlaysAndAnotherIsRefused() throws Exception {
    Path video = PublishRuns.video(dir.resolve("dailies.mp4"), "testsrc2", 12, 440);
    Run r = PublishRuns.film(base, dir.resolve("node"), "publish", video.toString(), "--title", "Private Dailies",
        "--private", "--preset", "ultrafast", "--advert-wait-seconds", "0");
    assertEquals(0, r.exit(), r.err());
    FilmsPageTest.base = base;
    FilmsPageTest.awaitReady(r.out().get(1));
    Keys viewer = Keys.generate();
    Run grant = PublishRuns.film(base, dir.resolve("node"), "grant", r.out().getFirst(), viewer.npub());
    assertEquals(0, grant.exit(), grant.err());

    JsonNode played = FilmsPage.visit(base, "--search", "dailies", "--title", "Private Dailies", "--screenshots",
        FilmsPageTest.SCREENSHOTS.resolve("private").toString(), "--timeout-seconds", "90",
        "--nip07-secret", viewer.secretHex());
    assertEquals("done", played.path("step").asText(), played.toPrettyString());
    assertTrue(played.path("currentTime").asDouble() >= 3, played.toPrettyString());

    JsonNode refused = FilmsPage.visit(base, "--search", "dailies", "--title", "Private Dailies", "--screenshots",
        FilmsPageTest.SCREENSHOTS.toString(), "--timeout-seconds", "60",
        "--nip07-secret", Keys.generate().secretHex(), "--expect-refused");
    assertEquals("done", refused.path("step").asText(), refused.toPrettyString());
    assertTrue(refused.path("refusedText").asText().contains("not granted"), refused.toPrettyString());
    assertTrue(refused.path("currentTime").asDouble() < 0.5, refused.toPrettyString());
  }
}
