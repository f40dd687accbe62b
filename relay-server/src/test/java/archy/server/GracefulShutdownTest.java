package archy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.nostr.Event;
import archy.nostr.EventSigner;
import archy.nostr.Keys;
import archy.testing.RelayProcess;
import archy.testing.TestNode;
import archy.testing.WsClient;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM in the middle of a write burst: every event acknowledged with OK true survives the restart. */
class GracefulShutdownTest {
  @TempDir Path dir;

  @Test
  void sigtermLosesNothingAcknowledged() throws Exception {
    Set<String> acknowledged = new HashSet<>();
    Path data = dir.resolve("data");
    try (RelayProcess relay = RelayProcess.start(dir,
        "[relay]\nevents_per_second = 100000\nevent_burst = 100000\n[plugins]\nenabled = []\n")) {
      Keys k = Keys.generate();
      long now = System.currentTimeMillis() / 1000;
      List<Event> events = new ArrayList<>();
      for (int i = 0; i < 3000; i++) events.add(EventSigner.sign(k, now, 1, List.of(), "burst " + i));
      try (WsClient c = WsClient.connectSkippingAuth(relay.wsUrl())) {
        for (Event e : events) c.send("[\"EVENT\"," + e.json() + "]");
        while (acknowledged.size() < 200) {
          JsonNode ok = c.next();
          if (ok.path(2).asBoolean()) acknowledged.add(ok.path(1).asText());
        }
        relay.process.destroy(); // SIGTERM
        JsonNode ok;
        while ((ok = c.poll(2000)) != null) {
          if (ok.path(0).asText().equals("OK") && ok.path(2).asBoolean()) acknowledged.add(ok.path(1).asText());
        }
      }
      assertTrue(relay.process.waitFor(30, TimeUnit.SECONDS), "relay stopped after SIGTERM");
    }

    try (TestNode restarted = TestNode.start(data, "");
         WsClient c = WsClient.connectSkippingAuth(restarted.wsUrl())) {
      List<String> ids = new ArrayList<>(acknowledged);
      Set<String> stored = new HashSet<>();
      for (int from = 0; from < ids.size(); from += 500) {
        List<String> batch = ids.subList(from, Math.min(ids.size(), from + 500));
        c.send("[\"REQ\",\"check\",{\"ids\":[\"" + String.join("\",\"", batch) + "\"],\"limit\":500}]");
        JsonNode m;
        while (!(m = c.next()).path(0).asText().equals("EOSE")) stored.add(m.path(2).path("id").asText());
      }
      assertTrue(acknowledged.size() >= 200);
      assertEquals(acknowledged, stored, "every acknowledged event is stored after the restart");
    }
  }
}
