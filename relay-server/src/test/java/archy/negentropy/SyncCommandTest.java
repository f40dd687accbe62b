package archy.negentropy;

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

/** {@code archy sync}: a stopped node's SQLite store and a running relay end with the same events. */
class SyncCommandTest {
  @TempDir Path remoteDir;
  @TempDir Path localDir;
  static final Keys alice = Keys.generate();

  @Test
  void bothDirectionsLeaveBothSidesWithTheUnion() throws Exception {
    List<String> shared = new ArrayList<>();
    List<String> remoteOnly = new ArrayList<>();
    List<String> localOnly = new ArrayList<>();
    try (TestNode remote = TestNode.start(remoteDir, "");
         TestNode local = TestNode.start(localDir, "")) {
      try (WsClient r = WsClient.connectSkippingAuth(remote.wsUrl());
           WsClient l = WsClient.connectSkippingAuth(local.wsUrl())) {
        for (int i = 0; i < 60; i++) {
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
      assertTrue(out.toString().contains("6 only here, 6 only there"), out.toString());

      Set<String> all = new TreeSet<>(shared);
      all.addAll(remoteOnly);
      all.addAll(localOnly);
      try (WsClient r = WsClient.connectSkippingAuth(remote.wsUrl())) {
        assertEquals(all, new TreeSet<>(req(r, "q", filter)), "the relay got ours");
      }
      try (TestNode reopened = TestNode.start(localDir, "");
           WsClient l = WsClient.connectSkippingAuth(reopened.wsUrl())) {
        assertEquals(all, new TreeSet<>(req(l, "q", filter)), "we got the relay's");
        assertEquals(List.of(), req(l, "k7", "{\"kinds\":[7]}"), "nothing outside the filter");
      }
    }
  }
}
