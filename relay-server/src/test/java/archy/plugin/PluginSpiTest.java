package archy.plugin;

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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every hook of the plugin SPI, exercised through a real node with the probe plugin enabled. */
class PluginSpiTest {
  @TempDir Path dir;

  @Test
  void everyHookWorks() throws Exception {
    try (TestNode node = TestNode.start(dir, "[plugins]\nenabled = [\"probe\"]\n[probe]\nforbidden = \"spam\"\n");
         WsClient c = WsClient.connectSkippingAuth(node.wsUrl())) {
      Keys k = Keys.generate();
      JsonNode blocked = publish(c, EventSigner.sign(k, now(), 1, List.of(), "spam"));
      assertFalse(blocked.path(2).asBoolean());
      assertEquals("blocked: the probe refuses 'spam'", blocked.path(3).asText());

      Event fine = EventSigner.sign(k, now(), 1, List.of(), "fine");
      assertTrue(publish(c, fine).path(2).asBoolean());
      assertTrue(ProbePlugin.saved.contains(fine.id()), "onEventSaved saw the event");

      c.send("[\"REQ\",\"hidden\",{\"kinds\":[666]}]");
      JsonNode closed = c.next();
      assertEquals("CLOSED", closed.path(0).asText());
      assertEquals("restricted: the probe hides kind 666", closed.path(2).asText());

      HttpClient http = HttpClient.newHttpClient();
      String status = http.send(HttpRequest.newBuilder(URI.create(node.httpUrl() + "/api/probe")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      assertEquals("probe service; seen 1; data dir probe", status, "route, service registry, migrations (V1+V2)");

      String published = http.send(HttpRequest.newBuilder(URI.create(node.httpUrl() + "/api/probe/publish"))
          .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).body();
      assertTrue(published.startsWith("true "), published);
      String id = published.substring(5);
      assertEquals(List.of(id), req(c, "probe", "{\"#t\":[\"probe\"],\"authors\":[\"" + node.node.keys().publicKeyHex() + "\"]}"));
    }
  }

  @Test
  void unknownEnabledPluginIsAClearError() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PluginLoader.load(PluginLoader.found(getClass().getClassLoader()), List.of("no-such-plugin")));
    assertTrue(e.getMessage().contains("no-such-plugin"));
  }

  @Test
  void relayRunsWithNoPlugins() throws Exception {
    try (TestNode node = TestNode.start(dir, "");
         WsClient c = WsClient.connectSkippingAuth(node.wsUrl())) {
      assertTrue(publish(c, EventSigner.sign(Keys.generate(), now(), 1, List.of(), "spam")).path(2).asBoolean());
    }
  }
}
