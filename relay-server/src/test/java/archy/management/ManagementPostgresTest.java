package archy.management;

import static archy.testing.RelayCalls.nip11;
import static archy.management.ManagementApiTest.signed;
import static archy.testing.RelayCalls.now;
import static archy.testing.RelayCalls.publish;
import static archy.testing.RelayCalls.req;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.nostr.Event;
import archy.nostr.EventSigner;
import archy.nostr.Keys;
import archy.testing.PostgresSchema;
import archy.testing.RelayProcess;
import archy.testing.TestNode;
import archy.testing.WsClient;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two relay processes (this JVM and a JVM of its own) on one PostgreSQL schema: a change made through either
 * applies on the other within the poll interval.
 */
class ManagementPostgresTest {
  @TempDir Path dirA;
  @TempDir Path dirB;

  @Test
  void changesThroughOneProcessApplyOnTheOther() throws Exception {
    Keys admin = Keys.generate();
    Keys spammer = Keys.generate();
    Keys k = Keys.generate();
    try (PostgresSchema schema = PostgresSchema.create()) {
      String toml = "[storage]\nurl = \"" + schema.storageUrl() + "\"\n[relay]\nadmins = [\"" + admin.publicKeyHex()
          + "\"]\n[plugins]\nenabled = []\n";
      try (TestNode a = TestNode.start(dirA, toml); RelayProcess b = RelayProcess.start(dirB, toml);
           WsClient wsA = WsClient.connectSkippingAuth(a.wsUrl());
           WsClient wsB = WsClient.connectSkippingAuth(b.wsUrl())) {
        String urlB = "http://127.0.0.1:" + b.port;
        Event stored = EventSigner.sign(k, now(), 1, List.of(), "to be banned");
        assertTrue(publish(wsA, stored).path(2).asBoolean());

        assertTrue(signed(a.httpUrl(), admin, "banpubkey", spammer.publicKeyHex(), "spam").result().asBoolean());
        eventually(() -> publish(wsB, EventSigner.sign(spammer, now(), 1, List.of(), "x")).path(3).asText()
            .startsWith("blocked:"), "the other process refuses the banned key");

        assertTrue(signed(urlB, admin, "banevent", stored.id()).result().asBoolean());
        assertEquals(List.of(), req(wsA, "s", "{\"ids\":[\"" + stored.id() + "\"]}"), "deleted for both");
        eventually(() -> publish(wsA, stored).path(3).asText().startsWith("blocked:"),
            "and refused by the first process too");

        assertTrue(signed(urlB, admin, "changerelayname", "Shared name").result().asBoolean());
        eventually(() -> {
          try {
            return nip11(a.httpUrl()).path("name").asText().equals("Shared name");
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }, "NIP-11 of the first process shows the name set through the second");
      }
    }
  }

  private static void eventually(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 10_000;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) throw new AssertionError(what);
      Thread.sleep(200);
    }
  }
}
