package archy.relay;

import static archy.testing.RelayCalls.now;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.nostr.EventSigner;
import archy.nostr.Keys;
import archy.testing.RawWsClient;
import archy.testing.TestNode;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The NIP-42 challenge is sent on connect, before anything else, on every connection (docs/configuration.md):
 * also when the client's first frames arrive together with its upgrade request, which lets the relay
 * answer them while the connection is still being opened.
 */
class AuthChallengeTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void theChallengeComesFirstEvenBeforeAnswersToPipelinedFrames() throws Exception {
    Keys k = Keys.generate();
    List<String> frames = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      frames.add(i % 2 == 0 ? "[\"EVENT\"," + EventSigner.sign(k, now(), 1, List.of(), "pipelined " + i).json() + "]"
          : "[\"COUNT\",\"c" + i + "\",{\"kinds\":[1]}]");
    }
    try (TestNode node = TestNode.start(dir, "[relay]\nevents_per_second = 100000\nevent_burst = 100000\n")) {
      for (int connection = 0; connection < 30; connection++) {
        try (RawWsClient c = RawWsClient.connect(node.port, frames)) {
          JsonNode first = MAPPER.readTree(c.readText());
          assertEquals("AUTH", first.path(0).asText(), "connection " + connection + " began with " + first);
          assertTrue(first.path(1).asText().matches("[0-9a-f]{32}"), first.toString());
          for (int i = 0; i < frames.size(); i++) {
            String type = MAPPER.readTree(c.readText()).path(0).asText();
            assertTrue(type.equals("OK") || type.equals("COUNT"), "answer " + i + ": " + type);
          }
        }
      }
    }
  }
}
