package archy.relay;

import static archy.testing.RelayCalls.now;
import static archy.testing.RelayCalls.publish;
import static archy.testing.RelayCalls.req;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.nostr.Event;
import archy.nostr.EventSigner;
import archy.nostr.Keys;
import archy.testing.MutableClock;
import archy.testing.TestNode;
import archy.testing.WsClient;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-connection limits and NIP-40 expiry, each on a node configured to make it easy to hit. */
class LimitsTest {
  @TempDir Path dir;

  @Test
  void eventRateIsLimitedPerConnection() throws Exception {
    try (TestNode node = TestNode.start(dir, "[relay]\nevents_per_second = 1\nevent_burst = 3\n");
         WsClient c = WsClient.connectSkippingAuth(node.wsUrl())) {
      Keys k = Keys.generate();
      for (int i = 0; i < 3; i++) assertTrue(publish(c, EventSigner.sign(k, now(), 1, List.of(), "ok " + i)).path(2).asBoolean());
      JsonNode limited = publish(c, EventSigner.sign(k, now(), 1, List.of(), "too fast"));
      assertFalse(limited.path(2).asBoolean());
      assertTrue(limited.path(3).asText().startsWith("rate-limited:"), limited.toString());
      try (WsClient other = WsClient.connectSkippingAuth(node.wsUrl())) {
        assertTrue(publish(other, EventSigner.sign(k, now(), 1, List.of(), "another connection")).path(2).asBoolean());
      }
    }
  }

  @Test
  void oversizedFrameClosesTheConnection() throws Exception {
    try (TestNode node = TestNode.start(dir, "[relay]\nmax_frame_bytes = 4096\n");
         WsClient c = WsClient.connectSkippingAuth(node.wsUrl())) {
      c.send("[\"REQ\",\"big\",{\"#t\":[\"" + "x".repeat(5000) + "\"]}]");
      assertEquals(1009, c.closed.get(10, TimeUnit.SECONDS), "1009: message too big");
    }
  }

  @Test
  void perKindSizeOverride() throws Exception {
    try (TestNode node = TestNode.start(dir,
        "[relay]\nmax_event_bytes = 2000\n[relay.max_event_bytes_by_kind]\n\"30082\" = 20000\n");
         WsClient c = WsClient.connectSkippingAuth(node.wsUrl())) {
      Keys k = Keys.generate();
      String content = "y".repeat(5000);
      JsonNode note = publish(c, EventSigner.sign(k, now(), 1, List.of(), content));
      assertTrue(note.path(3).asText().startsWith("invalid: event is larger than 2000"), note.toString());
      assertTrue(publish(c, EventSigner.sign(k, now(), 30082, List.of(List.of("d", "film")), content))
          .path(2).asBoolean());
    }
  }

  @Test
  void expiredEventsAreNeverReturnedAndArePurged() throws Exception {
    MutableClock clock = new MutableClock(Instant.now());
    try (TestNode node = TestNode.start(dir, "", clock);
         WsClient c = WsClient.connectSkippingAuth(node.wsUrl())) {
      Keys k = Keys.generate();
      long t = clock.instant().getEpochSecond();
      Event soon = EventSigner.sign(k, t, 1, List.of(List.of("expiration", String.valueOf(t + 60))), "soon gone");
      Event stays = EventSigner.sign(k, t, 1, List.of(), "stays");
      publish(c, soon);
      publish(c, stays);
      String filter = "{\"authors\":[\"" + k.publicKeyHex() + "\"]}";
      assertEquals(2, req(c, "before", filter).size());
      clock.advance(Duration.ofSeconds(61));
      assertEquals(List.of(stays.id()), req(c, "after", filter));
      c.send("[\"COUNT\",\"n\"," + filter + "]");
      assertEquals(1, c.next().path(2).path("count").asLong());
    }
  }

  @Test
  void slowConsumerIsCutOff() throws Exception {
    try (TestNode node = TestNode.start(dir,
        "[relay]\nmax_pending_output_bytes = 65536\nevents_per_second = 100000\nevent_burst = 100000\n");
         WsClient writer = WsClient.connectSkippingAuth(node.wsUrl())) {
      Keys k = Keys.generate();
      String big = "z".repeat(60_000);
      for (int i = 0; i < 200; i++) {
        assertTrue(publish(writer, EventSigner.sign(k, now() - i, 1, List.of(), big + i)).path(2).asBoolean());
      }
      // A client that stops reading: it asks for one message and never for more.
      CompletableFuture<Integer> closed = new CompletableFuture<>();
      AtomicLong received = new AtomicLong();
      WebSocket stalled = HttpClient.newHttpClient().newWebSocketBuilder()
          .buildAsync(URI.create(node.wsUrl()), new WebSocket.Listener() {
            @Override
            public void onOpen(WebSocket ws) {
              ws.request(1);
            }

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
              received.incrementAndGet();
              return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
              closed.complete(status);
              return null;
            }

            @Override
            public void onError(WebSocket ws, Throwable error) {
              closed.complete(-1);
            }
          }).join();
      stalled.sendText("[\"REQ\",\"all\",{\"authors\":[\"" + k.publicKeyHex() + "\"],\"limit\":200}]", true);
      // 12 MB of results cannot fit in the socket buffers plus 64 KiB of queue: the relay must give up on
      // this reader. The reader only learns of it when it reads again, so check the relay's side.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (node.node.connections() > 1 && System.nanoTime() < deadline) Thread.sleep(50);
      assertEquals(1, node.node.connections(), "the stalled reader was disconnected; the writer was not");
      stalled.abort();
    }
  }
}
