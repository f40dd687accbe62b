package archy.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * A viewer of the node's film web app ({@code /films}), or a publisher on its {@code /backstage} page, in headless
 * Chromium, through relay-server's {@code films-page.mjs} and {@code backstage-page.mjs} (their headers list the
 * options). Without Chromium the test is skipped, except in CI.
 */
public final class FilmsPage {
  private static final ObjectMapper JSON = new ObjectMapper();

  private FilmsPage() {}

  /** Runs the flow against {@code base}; the result is the script's JSON ({@code step} is "done" when it all passed). */
  public static JsonNode visit(String base, String... options) throws Exception {
    return drive("films-page.mjs", "FILMS-PAGE-RESULT ", base, options);
  }

  /** The publisher's flow on {@code /backstage} (upload, drop, resume, transcode, publish, find it in /films). */
  public static JsonNode backstage(String base, String... options) throws Exception {
    return drive("backstage-page.mjs", "BACKSTAGE-PAGE-RESULT ", base, options);
  }

  private static JsonNode drive(String script, String marker, String base, String... options) throws Exception {
    if (!Files.isExecutable(BrowserPlayer.CHROMIUM)) {
      ExternalTools.missing(BrowserPlayer.CHROMIUM + " not found, needed to drive the web app");
    }
    List<String> args = new ArrayList<>(List.of(base));
    args.addAll(List.of(options));
    NodeScripts.Result run = NodeScripts.relayServer().runScript(400, script, args.toArray(String[]::new));
    String line = run.output().lines().filter(l -> l.startsWith(marker)).reduce((a, b) -> b)
        .orElseThrow(() -> new AssertionError(script + " failed (exit " + run.exitCode() + "):\n" + run.output()));
    return JSON.readTree(line.substring(marker.length()));
  }

  /** The seek jumped (its target far from where the video was) and playback went on from there. */
  public static void assertSeeked(JsonNode r) {
    double before = r.path("beforeSeek").asDouble(), to = r.path("seekedTo").asDouble();
    double after = r.path("afterSeek").asDouble();
    assertTrue(Math.abs(to - before) > 3 && after >= to + 1 && after < to + 4, r.toPrettyString());
  }
}
