package archy.relay;

import static archy.testing.RelayCalls.now;
import static archy.testing.RelayCalls.publish;
import static archy.testing.RelayCalls.req;
import static archy.testing.RelayCalls.reqOpen;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.nostr.Event;
import archy.nostr.EventSigner;
import archy.nostr.Keys;
import archy.testing.PostgresSchema;
import archy.testing.TestNode;
import archy.testing.WsClient;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two relay instances on one PostgreSQL database: what one stores, the other's subscribers see live. */
class MultiProcessRelayTest {
  @TempDir Path dirA;
  @TempDir Path dirB;

  @Test
  void eventWrittenThroughOneRelayReachesSubscribersOfTheOther() throws Exception {
    try (PostgresSchema schema = PostgresSchema.create()) {
      String toml = "[storage]\nurl = \"" + schema.storageUrl() + "\"\n";
      try (TestNode a = TestNode.start(dirA, toml); TestNode b = TestNode.start(dirB, toml);
           WsClient writer = WsClient.connectSkippingAuth(a.wsUrl());
           WsClient reader = WsClient.connectSkippingAuth(b.wsUrl())) {
        Keys k = Keys.generate();
        assertEquals(List.of(), reqOpen(reader, "live", "{\"authors\":[\"" + k.publicKeyHex() + "\"]}"));

        Event small = EventSigner.sign(k, now(), 1, List.of(), "small");
        Event large = EventSigner.sign(k, now(), 1, List.of(), "x".repeat(20_000));
        assertTrue(publish(writer, small).path(2).asBoolean());
        assertTrue(publish(writer, large).path(2).asBoolean());
        JsonNode first = reader.next();
        JsonNode second = reader.next();
        assertEquals(small.id(), first.path(2).path("id").asText());
        assertEquals(large.id(), second.path(2).path("id").asText(), "payloads over NOTIFY's limit travel by row");

        assertEquals(List.of(large.id(), small.id()).stream().sorted().toList(),
            req(reader, "stored", "{\"authors\":[\"" + k.publicKeyHex() + "\"]}").stream().sorted().toList());
        assertEquals(null, writer.poll(300), "the writer's own relay does not echo to unrelated connections");
      }
    }
  }
}
