package archy.relay;

import static archy.testing.RelayCalls.now;
import static archy.testing.RelayCalls.publish;
import static archy.testing.RelayCalls.req;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.nostr.EventSigner;
import archy.nostr.Keys;
import archy.testing.RawWsClient;
import archy.testing.RelayProcess;
import archy.testing.WsClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The issue-10 attack on a real {@code archy run} process with a 256 MiB heap and the default limits:
 * 190 stalled subscribers from one address and 800 events of 60 KB. Per-connection caps alone would let
 * them hold 190 × 32 MiB; the node must instead stay alive and keep serving.
 */
class SlowConsumersHeapTest {
  @TempDir Path dir;

  @Test
  void aSmallHeapSurvivesStalledSubscribersWithTheDefaultLimits() throws Exception {
    List<RawWsClient> stalled = new ArrayList<>();
    try (RelayProcess relay = RelayProcess.start(dir,
        "[relay]\nevents_per_second = 100000\nevent_burst = 100000\n[plugins]\nenabled = []\n", "-Xmx256m")) {
      Keys author = Keys.generate();
      String filter = "{\"authors\":[\"" + author.publicKeyHex() + "\"]}";
      for (int i = 0; i < 190; i++) {
        RawWsClient c = RawWsClient.connect(relay.port);
        c.sendText("[\"REQ\",\"s\"," + filter + "]");
        stalled.add(c);
      }
      String big = "x".repeat(60_000);
      try (WsClient publisher = WsClient.connectSkippingAuth(relay.wsUrl())) {
        for (int i = 0; i < 800; i++) {
          assertTrue(publish(publisher, EventSigner.sign(author, now(), 1, List.of(), big + i)).path(2).asBoolean(),
              "event " + i + " stored");
        }
      }
      assertTrue(relay.process.isAlive(), "the node is alive: " + relay.output());
      try (WsClient reader = WsClient.connectSkippingAuth(relay.wsUrl())) {
        assertEquals(50, req(reader, "r", "{\"authors\":[\"" + author.publicKeyHex() + "\"],\"limit\":50}").size());
      }
      assertFalse(relay.output().contains("OutOfMemoryError"), relay.output());
    } finally {
      stalled.forEach(RawWsClient::close);
    }
  }
}
