package archy.negentropy;

import static archy.testing.RelayCalls.nip11;
import static archy.testing.RelayCalls.now;
import static archy.testing.RelayCalls.publish;
import static archy.testing.RelayCalls.req;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.cli.Main;
import archy.nostr.Event;
import archy.nostr.EventSigner;
import archy.nostr.Keys;
import archy.testing.TestNode;
import archy.testing.WsClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code archy sync}: a stopped node's SQLite store and a running relay end with the same events, by NIP-77 where
 * the relay offers it and by paging REQs where it does not.
 */
class SyncCommandTest {
  @TempDir Path remoteDir;
  @TempDir Path localDir;
  static final Keys alice = Keys.generate();

  @Test
  void bothDirectionsLeaveBothSidesWithTheUnion() throws Exception {
    String out = syncBoth("", 60);
    assertTrue(out.contains("by NIP-77 negentropy: 6 only here, 6 only there"), out);
  }

  /** Over several pages (1,200 events, 4 a second), from a relay that answers NEG-OPEN with NEG-ERR blocked:. */
  @Test
  void aRelayWithoutNip77IsPagedAndBothSidesStillEndWithTheUnion() throws Exception {
    String out = syncBoth("[relay]\nnegentropy_max_sessions = 0\nevents_per_second = 10000\nevent_burst = 10000\n", 1200);
    assertTrue(out.contains("refused NIP-77: blocked: NIP-77 negentropy is turned off"), out);
    assertTrue(out.contains("by paging REQs: 120 only here, 120 only there"), out);
    assertTrue(out.matches("(?s).*paged 1080 events in [3-9] pages.*"), out);
  }

  /** Returns what the command printed. */
  private String syncBoth(String remoteToml, int events) throws Exception {
    List<String> shared = new ArrayList<>();
    List<String> remoteOnly = new ArrayList<>();
    List<String> localOnly = new ArrayList<>();
    String localToml = "[relay]\nevents_per_second = 10000\nevent_burst = 10000\n";
    try (TestNode remote = TestNode.start(remoteDir, remoteToml);
         TestNode local = TestNode.start(localDir, localToml)) {
      boolean nip77 = !remoteToml.contains("negentropy_max_sessions = 0");
      assertEquals(nip77, nip11(remote.httpUrl()).path("supported_nips").toString().contains("77"),
          "NIP-11 lists 77 only where the relay serves it");
      String landing = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
          java.net.URI.create(remote.httpUrl().toString())).header("Accept", "text/html").build(),
          java.net.http.HttpResponse.BodyHandlers.ofString()).body();
      assertEquals(nip77, landing.matches("(?s).*Supported NIPs: [0-9, ]*\\b77\\b.*"),
          "so does the landing page");
      try (WsClient r = WsClient.connectSkippingAuth(remote.wsUrl());
           WsClient l = WsClient.connectSkippingAuth(local.wsUrl())) {
        for (int i = 0; i < events; i++) {
          Event e = EventSigner.sign(alice, now() - 1000 + i / 4, 1, List.of(), "n" + i);
          if (i % 10 == 3) {
            publish(r, e);
            remoteOnly.add(e.id());
          } else if (i % 10 == 7) {
            publish(l, e);
            localOnly.add(e.id());
          } else {
            publish(r, e);
            publish(l, e);
            shared.add(e.id());
          }
        }
        // Outside the filter: must not travel.
        publish(r, EventSigner.sign(alice, now(), 7, List.of(), "+"));
      }
      local.close();

      String filter = "{\"kinds\":[1],\"authors\":[\"" + alice.publicKeyHex() + "\"]}";
      String all5000 = "{\"kinds\":[1],\"authors\":[\"" + alice.publicKeyHex() + "\"],\"limit\":5000}";
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      PrintStream previous = System.out;
      int code;
      try {
        System.setOut(new PrintStream(out, true));
        code = Main.commandLine().execute("sync", remote.wsUrl(), "--both", "--filter", filter,
            "--data-dir", localDir.toString());
      } finally {
        System.setOut(previous);
      }
      assertEquals(0, code, out.toString());

      Set<String> all = new TreeSet<>(shared);
      all.addAll(remoteOnly);
      all.addAll(localOnly);
      try (WsClient r = WsClient.connectSkippingAuth(remote.wsUrl())) {
        assertEquals(all, new TreeSet<>(req(r, "q", all5000)), "the relay got ours");
      }
      try (TestNode reopened = TestNode.start(localDir, localToml);
           WsClient l = WsClient.connectSkippingAuth(reopened.wsUrl())) {
        assertEquals(all, new TreeSet<>(req(l, "q", all5000)), "we got the relay's");
        assertEquals(List.of(), req(l, "k7", "{\"kinds\":[7]}"), "nothing outside the filter");
      }
      return out.toString();
    }
  }
}
