package archy.relay;

import static archy.testing.RelayCalls.now;
import static archy.testing.RelayCalls.publish;
import static archy.testing.RelayCalls.req;
import static archy.testing.RelayCalls.reqOpen;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.nostr.Event;
import archy.nostr.EventSigner;
import archy.nostr.Keys;
import archy.testing.TestNode;
import archy.testing.WsClient;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NIP-42 AUTH, auth-required kinds (reads and writes) and NIP-70 protected events. */
class AuthTest {
  @TempDir static Path dir;
  static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(dir, "[relay]\nauth_required_kinds = [4]\n");
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  /** Connects and authenticates as {@code keys}; returns the client. */
  static WsClient authed(TestNode node, Keys keys) {
    WsClient c = WsClient.connect(node.wsUrl());
    JsonNode challenge = c.next();
    assertEquals("AUTH", challenge.path(0).asText());
    Event auth = EventSigner.sign(keys, now(), 22242,
        List.of(List.of("relay", node.wsUrl() + "/"), List.of("challenge", challenge.path(1).asText())), "");
    c.send("[\"AUTH\"," + auth.json() + "]");
    JsonNode ok = c.next();
    assertTrue(ok.path(2).asBoolean(), ok.toString());
    return c;
  }

  @Test
  void authWithWrongChallengeOrRelayIsRefused() {
    Keys k = Keys.generate();
    try (WsClient c = WsClient.connect(node.wsUrl())) {
      String challenge = c.next().path(1).asText();
      Event wrongChallenge = EventSigner.sign(k, now(), 22242,
          List.of(List.of("relay", node.wsUrl()), List.of("challenge", "nope")), "");
      c.send("[\"AUTH\"," + wrongChallenge.json() + "]");
      assertFalse(c.next().path(2).asBoolean());
      Event wrongRelay = EventSigner.sign(k, now(), 22242,
          List.of(List.of("relay", "wss://elsewhere.example"), List.of("challenge", challenge)), "");
      c.send("[\"AUTH\"," + wrongRelay.json() + "]");
      assertFalse(c.next().path(2).asBoolean());
      Event stale = EventSigner.sign(k, now() - 3600, 22242,
          List.of(List.of("relay", node.wsUrl()), List.of("challenge", challenge)), "");
      c.send("[\"AUTH\"," + stale.json() + "]");
      assertFalse(c.next().path(2).asBoolean());
      Event wrongKind = EventSigner.sign(k, now(), 1,
          List.of(List.of("relay", node.wsUrl()), List.of("challenge", challenge)), "");
      c.send("[\"AUTH\"," + wrongKind.json() + "]");
      assertFalse(c.next().path(2).asBoolean());
    }
  }

  @Test
  void restrictedKindsNeedAuthAndAreOnlyReadByTheirParties() throws Exception {
    Keys alice = Keys.generate(), bob = Keys.generate(), eve = Keys.generate();
    Event dm = EventSigner.sign(alice, now(), 4, List.of(List.of("p", bob.publicKeyHex())), "secret");
    try (WsClient anonymous = WsClient.connectSkippingAuth(node.wsUrl())) {
      JsonNode refused = publish(anonymous, dm);
      assertFalse(refused.path(2).asBoolean());
      assertTrue(refused.path(3).asText().startsWith("auth-required:"), refused.toString());
      anonymous.send("[\"REQ\",\"dms\",{\"kinds\":[4]}]");
      JsonNode closed = anonymous.next();
      assertEquals("CLOSED", closed.path(0).asText());
      assertTrue(closed.path(2).asText().startsWith("auth-required:"));
    }
    try (WsClient a = authed(node, alice); WsClient b = authed(node, bob); WsClient e = authed(node, eve)) {
      assertEquals(List.of(), reqOpen(b, "live", "{\"kinds\":[4],\"limit\":0}"));
      assertEquals(List.of(), reqOpen(e, "live", "{\"kinds\":[4],\"limit\":0}"));
      assertTrue(publish(a, dm).path(2).asBoolean());
      assertEquals(dm.id(), b.next().path(2).path("id").asText(), "the recipient gets it live");
      assertEquals(null, e.poll(300), "a third party does not");
      assertEquals(List.of(dm.id()), req(b, "stored", "{\"kinds\":[4]}"));
      assertEquals(List.of(), req(e, "stored", "{\"kinds\":[4]}"));
      assertEquals(List.of(), req(e, "all", "{\"authors\":[\"" + alice.publicKeyHex() + "\"]}"));
    }
  }

  @Test
  void protectedEventsOnlyFromTheirAuthor() throws Exception {
    Keys alice = Keys.generate(), mallory = Keys.generate();
    Event mine = EventSigner.sign(alice, now(), 1, List.of(List.of("-")), "only me");
    try (WsClient anonymous = WsClient.connectSkippingAuth(node.wsUrl())) {
      JsonNode refused = publish(anonymous, mine);
      assertTrue(refused.path(3).asText().startsWith("auth-required:"), refused.toString());
    }
    try (WsClient m = authed(node, mallory)) {
      JsonNode refused = publish(m, mine);
      assertFalse(refused.path(2).asBoolean());
      assertTrue(refused.path(3).asText().startsWith("restricted:"), refused.toString());
    }
    try (WsClient a = authed(node, alice)) {
      assertTrue(publish(a, mine).path(2).asBoolean());
    }
  }
}
