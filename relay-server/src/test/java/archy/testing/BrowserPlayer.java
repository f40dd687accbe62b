package archy.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plays an HLS master playlist the way a viewer's browser does: hls.js in headless Chromium (Debian's
 * {@code /usr/bin/chromium}, driven by playwright-core through relay-server's {@code hls-play.mjs}), from a
 * player page on another origin, so CORS applies. One browser per {@link #play}. Without Chromium the test
 * is skipped, except in CI, where it fails.
 */
public final class BrowserPlayer {
  public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final String MARKER = "HLS-PLAY-RESULT ";
  private static final ObjectMapper JSON = new ObjectMapper();

  private BrowserPlayer() {}

  /**
   * How to play: pass when the video's currentTime reaches {@code minSeconds} within {@code timeoutSeconds};
   * {@code headers} go on every request hls.js makes (playlists and segments), e.g. {@code X-Archy-Session};
   * {@code level} pins one rendition (its index in the master, ABR off), or is -1 to let hls.js choose.
   */
  public record Options(double minSeconds, int timeoutSeconds, int level, Map<String, String> headers) {
    public static final Options DEFAULT = new Options(3, 90, -1, Map.of());

    public Options {
      if (level < -1) throw new IllegalArgumentException("level " + level);
      headers = Map.copyOf(headers);
    }

    public Options minSeconds(double s) {
      return new Options(s, timeoutSeconds, level, headers);
    }

    public Options timeoutSeconds(int s) {
      return new Options(minSeconds, s, level, headers);
    }

    public Options level(int index) {
      return new Options(minSeconds, timeoutSeconds, index, headers);
    }

    public Options header(String name, String value) {
      Map<String, String> h = new LinkedHashMap<>(headers);
      h.put(name, value);
      return new Options(minSeconds, timeoutSeconds, level, h);
    }
  }

  /** One request hls.js made: its status (0 when it got no readable response, with {@code error} saying why). */
  public record Request(String method, String url, int status, String error) {}

  /** An hls.js error event: {@code type} and {@code details} as hls.js names them, the URL and HTTP status. */
  public record HlsError(String type, String details, boolean fatal, String url, int status, String reason) {}

  /**
   * What happened. {@code played}: currentTime reached the goal with no fatal hls.js error. {@code output}
   * is the script's whole output, for failure messages.
   */
  public record Result(boolean played, double currentTime, double duration, int levels, int videoHeight,
                       boolean timedOut, HlsError fatal, List<HlsError> errors, List<Request> requests,
                       List<String> console, String output) {
    /** The requests whose URL ends with {@code suffix} (e.g. a blob's {@code <sha256>.m3u8}). */
    public List<Request> requestsEndingWith(String suffix) {
      return requests.stream().filter(r -> r.url().endsWith(suffix)).toList();
    }

    /** A one-paragraph account for assertion messages. */
    public String describe() {
      StringBuilder s = new StringBuilder("played=" + played + " currentTime=" + currentTime + " levels=" + levels
          + " timedOut=" + timedOut + " fatal=" + fatal + "\nrequests:");
      for (Request r : requests) {
        s.append("\n  ").append(r.status()).append(' ').append(r.method()).append(' ').append(r.url());
        if (r.error() != null) s.append(" (").append(r.error()).append(')');
      }
      if (!console.isEmpty()) s.append("\nconsole: ").append(String.join("\n  ", console));
      return s.toString();
    }
  }

  public static Result play(String masterUrl) throws Exception {
    return play(masterUrl, Options.DEFAULT);
  }

  public static Result play(String masterUrl, Options options) throws Exception {
    if (!Files.isExecutable(CHROMIUM)) ExternalTools.missing(CHROMIUM + " not found, needed to play HLS in a browser");
    List<String> args = new ArrayList<>(List.of(masterUrl, "--min-seconds", Double.toString(options.minSeconds()),
        "--timeout-seconds", Integer.toString(options.timeoutSeconds()), "--level", Integer.toString(options.level())));
    options.headers().forEach((k, v) -> args.addAll(List.of("--header", k + ": " + v)));
    // Launch and teardown on a loaded machine take their time on top of the playback timeout.
    NodeScripts.Result run = NodeScripts.relayServer()
        .runScript(options.timeoutSeconds() + 120, "hls-play.mjs", args.toArray(String[]::new));
    String line = run.output().lines().filter(l -> l.startsWith(MARKER)).reduce((a, b) -> b).orElse(null);
    if (run.exitCode() != 0 || line == null) {
      throw new AssertionError("hls-play.mjs failed (exit " + run.exitCode() + "):\n" + run.output());
    }
    return parse(JSON.readTree(line.substring(MARKER.length())), run.output());
  }

  private static Result parse(JsonNode j, String output) {
    List<HlsError> errors = new ArrayList<>();
    for (JsonNode e : j.path("errors")) errors.add(error(e));
    List<Request> requests = new ArrayList<>();
    for (JsonNode r : j.path("requests")) {
      requests.add(new Request(r.path("method").asText(), r.path("url").asText(), r.path("status").asInt(),
          text(r.path("error"))));
    }
    List<String> console = new ArrayList<>();
    for (JsonNode c : j.path("console")) console.add(c.asText());
    JsonNode fatal = j.path("fatal");
    return new Result(j.path("played").asBoolean(), j.path("currentTime").asDouble(), j.path("duration").asDouble(),
        j.path("levels").asInt(), j.path("videoHeight").asInt(), j.path("timedOut").asBoolean(),
        fatal.isObject() ? error(fatal) : null, errors, requests, console, output);
  }

  private static HlsError error(JsonNode e) {
    return new HlsError(e.path("type").asText(), e.path("details").asText(), e.path("fatal").asBoolean(),
        text(e.path("url")), e.path("status").asInt(), text(e.path("reason")));
  }

  private static String text(JsonNode n) {
    return n.isTextual() ? n.asText() : null;
  }
}
