package archy.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * A viewer of the node's film web app ({@code /films}) in headless Chromium, through relay-server's
 * {@code films-page.mjs} (its header lists the options). Without Chromium the test is skipped, except in CI.
 */
public final class FilmsPage {
  private static final String MARKER = "FILMS-PAGE-RESULT ";
  private static final ObjectMapper JSON = new ObjectMapper();

  private FilmsPage() {}

  /** Runs the flow against {@code base}; the result is the script's JSON ({@code step} is "done" when it all passed). */
  public static JsonNode visit(String base, String... options) throws Exception {
    if (!Files.isExecutable(BrowserPlayer.CHROMIUM)) {
      ExternalTools.missing(BrowserPlayer.CHROMIUM + " not found, needed to drive the web app");
    }
    List<String> args = new ArrayList<>(List.of(base));
    args.addAll(List.of(options));
    NodeScripts.Result run = NodeScripts.relayServer().runScript(400, "films-page.mjs", args.toArray(String[]::new));
    String line = run.output().lines().filter(l -> l.startsWith(MARKER)).reduce((a, b) -> b)
        .orElseThrow(() -> new AssertionError("films-page.mjs failed (exit " + run.exitCode() + "):\n" + run.output()));
    return JSON.readTree(line.substring(MARKER.length()));
  }

  /** The seek jumped (its target far from where the video was) and playback went on from there. */
  public static void assertSeeked(JsonNode r) {
    double before = r.path("beforeSeek").asDouble(), to = r.path("seekedTo").asDouble();
    double after = r.path("afterSeek").asDouble();
    assertTrue(Math.abs(to - before) > 3 && after >= to + 1 && after < to + 4, r.toPrettyString());
  }
}
