package archy.paidblobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.testing.TestNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every metric a node with every shipped plugin serves on /metrics has HELP text and is listed in
 * docs/operations.md (the table under "Metrics"; {@code jvm_*} stands for the JVM's own).
 */
class MetricsDocumentedTest {
  private static final Pattern TYPE = Pattern.compile("^# TYPE (\\S+) (\\S+)$");
  private static final Pattern HELP = Pattern.compile("^# HELP (\\S+) ?(.*)$");
  private static final Pattern DOC_NAME = Pattern.compile("`([a-z_*]+)(\\{[^}]*})?`");

  @TempDir
  Path dir;

  @Test
  void everyMetricHasHelpAndIsDocumented() throws Exception {
    int silent = TestNode.freePort(); // an upstream that is not there: its link still has a lag gauge
    try (TestNode node = TestNode.start(dir, """
        [plugins]
        enabled = ["ecash-gate", "film-catalog", "paid-blobs", "relay-bandwidth"]
        [film-catalog]
        upstream_relays = ["ws://127.0.0.1:%d"]
        [relay-bandwidth]
        enabled = true
        """.formatted(silent))) {
      String scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create(node.httpUrl() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
      Map<String, String> types = new LinkedHashMap<>();
      Map<String, String> help = new LinkedHashMap<>();
      for (String line : scrape.split("\n")) {
        Matcher t = TYPE.matcher(line);
        Matcher h = HELP.matcher(line);
        if (t.matches()) types.put(t.group(1), t.group(2));
        if (h.matches()) help.put(h.group(1), h.group(2).strip());
      }
      for (String expected : List.of("archy_film_listed", "archy_film_sync_lag_seconds", "archy_film_fetch",
          "archy_blossom_payment_required", "archy_ecash_earned_sats", "archy_ecash_sessions_open")) {
        assertTrue(types.keySet().stream().anyMatch(n -> n.startsWith(expected)), expected + " is served:\n" + scrape);
      }
      Set<String> documented = documented();
      List<String> noHelp = types.keySet().stream().filter(n -> help.getOrDefault(n, "").isEmpty()).toList();
      List<String> undocumented = types.keySet().stream().filter(n -> !documented.contains(n)
          && !documented.contains(n + "_total")
          && documented.stream().noneMatch(d -> d.endsWith("*") && n.startsWith(d.substring(0, d.length() - 1))))
          .toList();
      assertEquals(List.of(), noHelp, "metrics without HELP text");
      assertEquals(List.of(), undocumented, "metrics not listed in docs/operations.md");
      assertEquals(types.keySet(), help.keySet(), "HELP and TYPE name the same metrics");
    }
  }

  /** Metric names in the table of docs/operations.md's "Metrics" section. */
  static Set<String> documented() throws Exception {
    Set<String> names = new LinkedHashSet<>();
    boolean inMetrics = false;
    for (String line : Files.readAllLines(Path.of("../../docs/operations.md"))) {
      if (line.startsWith("## ")) inMetrics = line.equals("## Metrics");
      if (!inMetrics || !line.startsWith("| `")) continue;
      Matcher m = DOC_NAME.matcher(line.substring(0, line.indexOf(" |", 2)));
      while (m.find()) names.add(m.group(1));
    }
    return names;
  }
}
