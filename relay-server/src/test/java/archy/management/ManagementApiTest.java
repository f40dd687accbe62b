package archy.management;

import static archy.testing.RelayCalls.nip11;
import static archy.testing.RelayCalls.now;
import static archy.testing.RelayCalls.publish;
import static archy.testing.RelayCalls.req;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.nostr.Event;
import archy.nostr.EventSigner;
import archy.nostr.Keys;
import archy.testing.TestNode;
import archy.testing.WsClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NIP-86 over real HTTP with real NIP-98 signatures, against a node on SQLite; every change is seen applying. */
class ManagementApiTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();
  final Keys admin = Keys.generate();
  @TempDir Path dir;

  /** The HTTP status and the JSON answer. */
  record Answer(int status, JsonNode json) {
    JsonNode result() {
      return json.path("result");
    }

    String error() {
      return json.path("error").asText(null);
    }
  }

  static Answer call(String url, String authorization, String body) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url))
        .header("Content-Type", ManagementEndpoint.CONTENT_TYPE)
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) r.header("Authorization", authorization);
    HttpResponse<String> response = HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(response.statusCode(), JSON.readTree(response.body()));
  }

  static String body(String method, Object... params) throws Exception {
    return JSON.writeValueAsString(java.util.Map.of("method", method, "params", List.of(params)));
  }

  static Answer signed(String url, Keys keys, String method, Object... params) throws Exception {
    String body = body(method, params);
    return call(url, Nip98Header.sign(keys, url, "POST", body.getBytes(StandardCharsets.UTF_8), now()), body);
  }

  Answer admin(TestNode node, String method, Object... params) throws Exception {
    Answer a = signed(node.httpUrl(), admin, method, params);
    assertEquals(200, a.status(), a.json().toString());
    return a;
  }

  private TestNode start() throws Exception {
    return TestNode.start(dir, "[relay]\nadmins = [\"" + admin.npub() + "\"]\n");
  }

  @Test
  void onlyAFreshAdminAuthorizationForThisUrlAndBodyIsAccepted() throws Exception {
    try (TestNode node = start()) {
      String url = node.httpUrl();
      String body = body("supportedmethods");
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      Answer missing = call(url, null, body);
      assertEquals(401, missing.status());
      assertTrue(missing.json().path("result").isNull());
      assertTrue(missing.error().contains("Authorization"), missing.error());

      assertEquals(401, call(url, Nip98Header.sign(Keys.generate(), url, "POST", bytes, now()), body).status(),
          "a key that is not an admin");
      assertEquals(401, call(url, Nip98Header.sign(admin, url, "POST", "{}".getBytes(), now()), body).status(),
          "a payload hash of another body");
      assertEquals(401, call(url, Nip98Header.sign(admin, url, "POST", bytes, now() - 120), body).status(),
          "too old");
      assertEquals(401, call(url, Nip98Header.sign(admin, "http://elsewhere.example/", "POST", bytes, now()), body)
          .status(), "another relay's URL");
      assertEquals(401, call(url, Nip98Header.sign(admin, url, "GET", bytes, now()), body).status(), "another method");
      assertEquals(401, call(url, "Nostr not-base64!", body).status());

      String good = Nip98Header.sign(admin, node.wsUrl() + "/", "POST", bytes, now());
      Answer ok = call(url, good, body);
      assertEquals(200, ok.status(), "the ws:// spelling of the relay URL is the same relay");
      assertTrue(ok.json().path("error").isNull());
      assertTrue(ok.result().toString().contains("\"banpubkey\""), ok.result().toString());
      assertEquals(401, call(url, good, body).status(), "a replayed authorization");
    }
  }

  @Test
  void badCallsAreAnsweredInJsonRpcForm() throws Exception {
    try (TestNode node = start()) {
      Answer unknown = admin(node, "makecoffee");
      assertTrue(unknown.result().isNull());
      assertTrue(unknown.error().contains("unsupported method"), unknown.error());
      assertTrue(admin(node, "banpubkey", "not-a-key").error().contains("params[0]"));
      assertTrue(admin(node, "allowkind", 70000).error().contains("kind"));
      assertTrue(admin(node, "blockip", "example.com").error().contains("IP"));
      assertTrue(admin(node, "changerelayicon", "javascript:alert(1)").error().contains("URL"));
      assertEquals(List.of(), JSON.convertValue(admin(node, "listbannedpubkeys").result(), List.class));
    }
  }

  @Test
  void pubkeyAndEventBansApplyAndPersist() throws Exception {
    Keys spammer = Keys.generate();
    Keys friend = Keys.generate();
    Keys stranger = Keys.generate();
    Event spam = EventSigner.sign(spammer, now(), 1, List.of(), "spam");
    Event bad = EventSigner.sign(friend, now(), 1, List.of(), "bad");
    try (TestNode node = start(); WsClient ws = WsClient.connectSkippingAuth(node.wsUrl())) {
      assertTrue(publish(ws, bad).path(2).asBoolean());
      assertTrue(admin(node, "banpubkey", spammer.publicKeyHex(), "spam").result().asBoolean());
      JsonNode refused = publish(ws, spam);
      assertFalse(refused.path(2).asBoolean());
      assertTrue(refused.path(3).asText().startsWith("blocked:"), refused.toString());
      assertEquals("[{\"pubkey\":\"" + spammer.publicKeyHex() + "\",\"reason\":\"spam\"}]",
          admin(node, "listbannedpubkeys").result().toString());

      admin(node, "banevent", bad.id(), "rude");
      assertEquals(List.of(), req(ws, "gone", "{\"ids\":[\"" + bad.id() + "\"]}"), "a banned event is not served");
      assertTrue(publish(ws, bad).path(3).asText().startsWith("blocked:"), "nor taken back");
      assertEquals(bad.id(), admin(node, "listbannedevents").result().path(0).path("id").asText());

      admin(node, "allowpubkey", friend.publicKeyHex());
      assertTrue(publish(ws, EventSigner.sign(friend, now(), 1, List.of(), "hi")).path(2).asBoolean());
      assertTrue(publish(ws, EventSigner.sign(stranger, now(), 1, List.of(), "hi")).path(3).asText()
          .startsWith("blocked:"), "with an allow list only its keys may write");
      admin(node, "banpubkey", friend.publicKeyHex());
      assertEquals("[]", admin(node, "listallowedpubkeys").result().toString(), "a ban takes the key off the allow list");
      admin(node, "unbanpubkey", friend.publicKeyHex());
      assertTrue(nip11(node.httpUrl()).path("supported_nips").toString().contains("86"));
    }
    try (TestNode again = start(); WsClient ws = WsClient.connectSkippingAuth(again.wsUrl())) {
      assertTrue(publish(ws, spam).path(3).asText().startsWith("blocked:"), "bans survive a restart");
      assertTrue(publish(ws, bad).path(3).asText().startsWith("blocked:"));
      assertTrue(publish(ws, EventSigner.sign(stranger, now(), 1, List.of(), "hi again")).path(2).asBoolean(),
          "the allow list is empty again");
    }
  }

  @Test
  void kindsRelayInfoAndIpBlocksApply() throws Exception {
    Keys k = Keys.generate();
    try (TestNode node = start()) {
      try (WsClient ws = WsClient.connectSkippingAuth(node.wsUrl())) {
        admin(node, "allowkind", 1);
        assertEquals("[1]", admin(node, "listallowedkinds").result().toString());
        assertTrue(publish(ws, EventSigner.sign(k, now(), 1, List.of(), "note")).path(2).asBoolean());
        assertTrue(publish(ws, EventSigner.sign(k, now(), 7, List.of(), "+")).path(3).asText().startsWith("blocked:"));
        admin(node, "disallowkind", 1);
        assertEquals("[1]", admin(node, "listdisallowedkinds").result().toString());
        assertTrue(publish(ws, EventSigner.sign(k, now(), 1, List.of(), "note 2")).path(3).asText()
            .startsWith("blocked:"));
        assertTrue(publish(ws, EventSigner.sign(k, now(), 7, List.of(), "+")).path(2).asBoolean(),
            "disallowing the only allowed kind leaves no allow list");

        admin(node, "changerelayname", "Renamed relay");
        admin(node, "changerelaydescription", "now with moderation");
        admin(node, "changerelayicon", "https://example.com/icon.png");
        JsonNode info = nip11(node.httpUrl());
        assertEquals("Renamed relay", info.path("name").asText());
        assertEquals("now with moderation", info.path("description").asText());
        assertEquals("https://example.com/icon.png", info.path("icon").asText());

        admin(node, "blockip", "127.0.0.1", "abuse");
        assertEquals("[{\"ip\":\"127.0.0.1\",\"reason\":\"abuse\"}]", admin(node, "listblockedips").result().toString());
        assertEquals(1008, ws.closed.get(5, java.util.concurrent.TimeUnit.SECONDS), "the open connection is closed");
      }
      assertThrows(RuntimeException.class, () -> WsClient.connect(node.wsUrl()), "a new connection is refused");
      admin(node, "unblockip", "127.0.0.1");
      try (WsClient ws = WsClient.connectSkippingAuth(node.wsUrl())) {
        assertTrue(publish(ws, EventSigner.sign(k, now(), 7, List.of(), "back")).path(2).asBoolean());
      }
    }
  }

  @Test
  void reportedEventsNeedModerationUntilDecided() throws Exception {
    Keys author = Keys.generate();
    Keys reporter = Keys.generate();
    Event post = EventSigner.sign(author, now(), 1, List.of(), "questionable");
    try (TestNode node = start(); WsClient ws = WsClient.connectSkippingAuth(node.wsUrl())) {
      publish(ws, post);
      publish(ws, EventSigner.sign(reporter, now(), 1984,
          List.of(List.of("e", post.id(), "spam"), List.of("p", author.publicKeyHex())), "ads"));
      assertEquals("[{\"id\":\"" + post.id() + "\",\"reason\":\"spam: ads\"}]",
          admin(node, "listeventsneedingmoderation").result().toString());
      admin(node, "allowevent", post.id(), "fine");
      assertEquals("[]", admin(node, "listeventsneedingmoderation").result().toString());
      assertEquals(post.id(), admin(node, "listallowedevents").result().path(0).path("id").asText());
    }
  }
}
