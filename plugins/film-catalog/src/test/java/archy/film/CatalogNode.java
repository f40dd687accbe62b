package archy.film;

import static org.junit.jupiter.api.Assertions.assertEquals;

import archy.config.Config;
import archy.config.ConfigLoader;
import archy.nostr.Event;
import archy.server.ArchyNode;
import archy.testing.RelayCalls;
import archy.testing.TestNode;
import archy.testing.WsClient;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A real node with film-catalog (and the probe that looks up its service) enabled, a WebSocket client and
 * HTTP calls. Indexing runs behind the write path, so catalog checks poll until they hold.
 */
final class CatalogNode implements AutoCloseable {
  final ArchyNode node;
  final int port;
  final WsClient ws;
  private final HttpClient http = HttpClient.newHttpClient();

  private CatalogNode(ArchyNode node, int port) {
    this.node = node;
    this.port = port;
    this.ws = WsClient.connectSkippingAuth(wsUrl());
  }

  /** @param filmCatalog the body of the [film-catalog] section; {@code extra} more TOML (e.g. [storage]) */
  static CatalogNode start(Path dir, String filmCatalog, String extra) throws Exception {
    return start(dir, TestNode.freePort(), filmCatalog, extra, Clock.systemUTC());
  }

  static CatalogNode start(Path dir, int port, String filmCatalog, String extra, Clock clock) throws Exception {
    String toml = "[plugins]\nenabled = [\"film-catalog\", \"film-catalog-probe\"]\n[film-catalog]\n" + filmCatalog
        + "\n" + extra + "\n";
    Config config = ConfigLoader.parse(toml, new ConfigLoader.Overrides("127.0.0.1", port, 0, dir, null, null));
    return new CatalogNode(new ArchyNode(config, clock).start(), port);
  }

  static String list(String... values) {
    List<String> quoted = new ArrayList<>();
    for (String v : values) quoted.add("\"" + v + "\"");
    return "[" + String.join(", ", quoted) + "]";
  }

  String wsUrl() {
    return "ws://127.0.0.1:" + port;
  }

  String httpUrl() {
    return "http://127.0.0.1:" + port;
  }

  FilmCatalog service() {
    return CatalogProbePlugin.FOUND.get(node.keys().publicKeyHex());
  }

  /** Publishes and returns the OK message's text ("" when accepted without remark). */
  String publish(Event e) {
    JsonNode ok = RelayCalls.publish(ws, e);
    return ok.path(2).asBoolean() ? "" : ok.path(3).asText();
  }

  void accept(Event e) {
    assertEquals("", publish(e), "expected " + e + " to be accepted");
  }

  record Reply(int status, JsonNode body, HttpResponse<String> raw) {}

  Reply get(String pathAndQuery) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(httpUrl() + pathAndQuery)).build(),
        HttpResponse.BodyHandlers.ofString());
    JsonNode body = r.body().isEmpty() ? null : Films.JSON.readTree(r.body());
    return new Reply(r.statusCode(), body, r);
  }

  /** The sum of a metric's samples on /metrics whose labels contain {@code label} (e.g. {@code method="nip77"}). */
  double metric(String name, String label) throws Exception {
    String scrape = http.send(HttpRequest.newBuilder(URI.create(httpUrl() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    double sum = 0;
    for (String line : scrape.split("\n")) {
      if (line.startsWith(name + "{") && line.substring(0, line.indexOf('}') + 1).contains(label)) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  JsonNode catalog(String query) throws Exception {
    Reply r = get("/api/film-catalog" + query);
    assertEquals(200, r.status(), r.raw().body());
    return r.body();
  }

  /** Polls the catalog until the predicate holds (10 s at most) and returns that page. */
  JsonNode awaitCatalog(String query, Predicate<JsonNode> until) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    JsonNode page = catalog(query);
    while (!until.test(page)) {
      if (System.nanoTime() > deadline) throw new AssertionError("catalog never matched; last page: " + page);
      Thread.sleep(20);
      page = catalog(query);
    }
    return page;
  }

  static List<String> ds(JsonNode page) {
    List<String> out = new ArrayList<>();
    page.path("films").forEach(f -> out.add(f.path("d").asText()));
    return out;
  }

  static Predicate<JsonNode> listing(String... ds) {
    return page -> ds(page).equals(List.of(ds));
  }

  @Override
  public void close() {
    ws.close();
    node.close();
  }
}
