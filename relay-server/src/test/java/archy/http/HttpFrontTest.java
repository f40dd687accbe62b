package archy.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.testing.TestNode;
import archy.testing.WsClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NIP-11, the landing page, metrics and the per-address connection limit over real HTTP. */
class HttpFrontTest {
  @TempDir static Path dir;
  static TestNode node;
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(dir, "[relay]\nname = \"Test relay\"\nmax_connections_per_ip = 3\n");
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  static HttpResponse<String> get(String path, String accept) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.httpUrl() + path));
    if (accept != null) b.header("Accept", accept);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void nip11DocumentListsWhatIsSupported() throws Exception {
    HttpResponse<String> r = get("/", "application/nostr+json");
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("Content-Type").orElseThrow().startsWith("application/nostr+json"));
    assertEquals("*", r.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
    JsonNode doc = new ObjectMapper().readTree(r.body());
    assertEquals("Test relay", doc.path("name").asText());
    assertEquals("[1,9,11,40,42,45,70,77,86]", doc.path("supported_nips").toString());
    assertEquals(64, doc.path("pubkey").asText().length());
    assertEquals(393216, doc.path("limitation").path("max_message_length").asInt());
    assertEquals(200, doc.path("limitation").path("max_subscriptions").asInt());
    assertEquals(5000, doc.path("limitation").path("max_limit").asInt());
  }

  @Test
  void landingPageIsHtml() throws Exception {
    HttpResponse<String> r = get("/", "text/html");
    assertEquals(200, r.statusCode());
    assertTrue(r.body().contains("<h1>Test relay</h1>"));
    assertTrue(r.body().contains(node.wsUrl()));
  }

  @Test
  void metricsArePrometheusText() throws Exception {
    try (WsClient c = WsClient.connectSkippingAuth(node.wsUrl())) {
      HttpResponse<String> r = get("/metrics", null);
      assertEquals(200, r.statusCode());
      assertTrue(r.body().contains("archy_connections "), r.body());
      assertTrue(r.body().contains("archy_query_seconds"), r.body());
      assertTrue(r.body().contains("archy_store_events"), r.body());
    }
  }

  @Test
  void unknownPathIs404() throws Exception {
    assertEquals(404, get("/nothing-here", null).statusCode());
  }

  @Test
  void connectionsPerAddressAreCapped() {
    List<WsClient> open = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) open.add(WsClient.connectSkippingAuth(node.wsUrl()));
      try {
        HttpClient.newHttpClient().newWebSocketBuilder()
            .buildAsync(URI.create(node.wsUrl()), new WebSocket.Listener() {}).join();
        throw new AssertionError("a fourth connection from one address was accepted");
      } catch (CompletionException expected) {
        WebSocketHandshakeException refused = (WebSocketHandshakeException) expected.getCause();
        assertEquals(429, refused.getResponse().statusCode());
      }
    } finally {
      open.forEach(WsClient::close);
    }
  }
}
