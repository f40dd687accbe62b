package archy.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.nostr.Event;
import archy.nostr.EventSigner;
import archy.nostr.Keys;
import archy.testing.TestNode;
import static archy.testing.RelayCalls.now;
import static archy.testing.RelayCalls.publish;
import static archy.testing.RelayCalls.req;
import static archy.testing.RelayCalls.reqOpen;
import archy.testing.WsClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NIP-01 over a real WebSocket against a real node on SQLite. */
class RelayProtocolTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  @TempDir static Path dir;
  static TestNode node;
  static final Keys alice = Keys.generate();
  static final Keys bob = Keys.generate();

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(dir, "[relay]\nevents_per_second = 10000\nevent_burst = 10000\n");
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  static Event note(Keys keys, long createdAt, String content, List<List<String>> tags) {
    return EventSigner.sign(keys, createdAt, 1, tags, content);
  }

  @Test
  void storesAndReturnsEventsNewestFirst() throws Exception {
    Keys k = Keys.generate();
    try (WsClient c = WsClient.connectSkippingAuth(node.wsUrl())) {
      Event older = note(k, now() - 10, "older", List.of());
      Event newer = note(k, now() - 5, "newer \"quoted\"\n\u0001 ✓", List.of(List.of("t", "films")));
      assertTrue(publish(c, older).path(2).asBoolean());
      assertTrue(publish(c, newer).path(2).asBoolean());
      assertEquals(List.of(newer.id(), older.id()), req(c, "s1", "{\"authors\":[\"" + k.publicKeyHex() + "\"]}"));
      assertEquals(List.of(newer.id()), req(c, "s2", "{\"#t\":[\"films\"],\"authors\":[\"" + k.publicKeyHex() + "\"]}"));
      assertEquals(List.of(newer.id()), req(c, "s3", "{\"ids\":[\"" + newer.id() + "\"]}"));
      assertEquals(List.of(older.id()),
          req(c, "s4", "{\"authors\":[\"" + k.publicKeyHex() + "\"],\"until\":" + older.createdAt() + "}"));
      assertEquals(List.of(newer.id()),
          req(c, "s5", "{\"authors\":[\"" + k.publicKeyHex() + "\"],\"limit\":1}"));
      assertEquals(List.of(), req(c, "s6", "{\"authors\":[\"" + k.publicKeyHex() + "\"],\"limit\":0}"));
    }
  }

  @Test
  void returnedEventIsTheSignedEvent() throws Exception {
    Keys k = Keys.generate();
    Event e = note(k, now(), "tab\there, backslash \\ and emoji 🎬", List.of(List.of("e", "x".repeat(3), "wss://r")));
    try (WsClient c = WsClient.connectSkippingAuth(node.wsUrl())) {
      publish(c, e);
      c.send("[\"REQ\",\"x\",{\"ids\":[\"" + e.id() + "\"]}]");
      JsonNode got = c.next().path(2);
      assertEquals(MAPPER.readTree(e.json()), got);
    }
  }

  /** Stored rows go out as the store's bytes inside a prefix encoded once per subscription; live events likewise. */
  @Test
  void framesCarryTheSubscriptionIdAndTheEventUnchanged() throws Exception {
    Keys k = Keys.generate();
    String subId = "ü \"q\" \\ 🎬";
    Event stored = note(k, now() - 1, "stored ✓ é 🎬 \u0001", List.of(List.of("t", "ünï")));
    Event live = note(k, now(), "live ✓ 🎬", List.of());
    try (WsClient reader = WsClient.connectSkippingAuth(node.wsUrl());
         WsClient writer = WsClient.connectSkippingAuth(node.wsUrl())) {
      publish(writer, stored);
      reader.send("[\"REQ\"," + MAPPER.writeValueAsString(subId) + ",{\"authors\":[\"" + k.publicKeyHex() + "\"]}]");
      JsonNode first = reader.next();
      assertEquals(List.of("EVENT", subId), List.of(first.path(0).asText(), first.path(1).asText()));
      assertEquals(MAPPER.readTree(stored.json()), first.path(2));
      JsonNode eose = reader.next();
      assertEquals(List.of("EOSE", subId), List.of(eose.path(0).asText(), eose.path(1).asText()));
      publish(writer, live);
      JsonNode got = reader.next();
      assertEquals(subId, got.path(1).asText());
      assertEquals(MAPPER.readTree(live.json()), got.path(2));
    }
  }

  @Test
  void duplicateIsAcknowledgedAsDuplicate() throws Exception {
    Event e = note(alice, now(), "dup", List.of());
    try (WsClient c = WsClient.connectSkippingAuth(node.wsUrl())) {
      assertTrue(publish(c, e).path(2).asBoolean());
      JsonNode again = publish(c, e);
      assertTrue(again.path(2).asBoolean());
      assertTrue(again.path(3).asText().startsWith("duplicate:"), again.toString());
    }
  }

  @Test
  void badSignatureAndBadIdAreInvalid() throws Exception {
    Event e = note(alice, now(), "hello", List.of());
    String badSig = e.json().replace(e.sig(), e.sig().substring(0, 127) + (e.sig().endsWith("0") ? "1" : "0"));
    String badContent = e.json().replace("\"hello\"", "\"hellO\"");
    try (WsClient c = WsClient.connectSkippingAuth(node.wsUrl())) {
      c.send("[\"EVENT\"," + badSig + "]");
      JsonNode ok = c.next();
      assertFalse(ok.path(2).asBoolean());
      assertTrue(ok.path(3).asText().startsWith("invalid:"), ok.toString());
      c.send("[\"EVENT\"," + badContent + "]");
      ok = c.next();
      assertEquals("invalid: event id does not match its content", ok.path(3).asText());
      c.send("[\"EVENT\",{\"kind\":1}]");
      assertEquals("NOTICE", c.next().path(0).asText());
      c.send("not json");
      assertEquals("NOTICE", c.next().path(0).asText());
      c.send("[\"WHAT\"]");
      assertTrue(c.next().path(1).asText().startsWith("invalid:"));
    }
  }

  @Test
  void liveEventsReachMatchingSubscriptionsOnlyUntilClosed() throws Exception {
    Keys k = Keys.generate();
    try (WsClient reader = WsClient.connectSkippingAuth(node.wsUrl());
         WsClient writer = WsClient.connectSkippingAuth(node.wsUrl())) {
      assertEquals(List.of(), reqOpen(reader, "live", "{\"authors\":[\"" + k.publicKeyHex() + "\"],\"limit\":0}",
          "{\"#t\":[\"live-tag-" + k.publicKeyHex() + "\"]}"));
      Event first = note(k, now(), "one", List.of(List.of("t", "live-tag-" + k.publicKeyHex())));
      publish(writer, first);
      JsonNode got = reader.next();
      assertEquals("EVENT", got.path(0).asText());
      assertEquals(first.id(), got.path(2).path("id").asText());
      assertNull(reader.poll(200), "a matching event is delivered once even when two filters match");
      publish(writer, note(alice, now(), "not for the reader", List.of()));
      assertNull(reader.poll(300));
      reader.send("[\"CLOSE\",\"live\"]");
      Thread.sleep(100);
      publish(writer, note(k, now(), "two", List.of()));
      assertNull(reader.poll(300));
    }
  }

  @Test
  void replaceableKeepsNewestAndTiesGoToLowerId() throws Exception {
    Keys k = Keys.generate();
    long t = now() - 100;
    Event v1 = EventSigner.sign(k, t, 0, List.of(), "{\"name\":\"v1\"}");
    Event v2 = EventSigner.sign(k, t + 10, 0, List.of(), "{\"name\":\"v2\"}");
    try (WsClient c = WsClient.connectSkippingAuth(node.wsUrl())) {
      publish(c, v1);
      publish(c, v2);
      JsonNode stale = publish(c, v1);
      assertEquals(List.of(v2.id()), req(c, "r", "{\"kinds\":[0],\"authors\":[\"" + k.publicKeyHex() + "\"]}"));
      assertTrue(stale.path(3).asText().startsWith("duplicate:") || !stale.path(2).asBoolean(), stale.toString());
      Event a = EventSigner.sign(k, t + 20, 0, List.of(), "{\"name\":\"a\"}");
      Event b = EventSigner.sign(k, t + 20, 0, List.of(), "{\"name\":\"b\"}");
      Event lower = a.id().compareTo(b.id()) < 0 ? a : b;
      Event higher = lower == a ? b : a;
      publish(c, higher);
      publish(c, lower);
      assertEquals(List.of(lower.id()), req(c, "r2", "{\"kinds\":[0],\"authors\":[\"" + k.publicKeyHex() + "\"]}"));
      Event addr1 = EventSigner.sign(k, t, 30000, List.of(List.of("d", "one")), "");
      Event addr2 = EventSigner.sign(k, t, 30000, List.of(List.of("d", "two")), "");
      Event addr1b = EventSigner.sign(k, t + 1, 30000, List.of(List.of("d", "one")), "");
      publish(c, addr1);
      publish(c, addr2);
      publish(c, addr1b);
      assertEquals(List.of(addr1b.id(), addr2.id()),
          req(c, "r3", "{\"kinds\":[30000],\"authors\":[\"" + k.publicKeyHex() + "\"]}"));
    }
  }

  @Test
  void ephemeralEventsAreBroadcastButNotStored() throws Exception {
    Keys k = Keys.generate();
    try (WsClient reader = WsClient.connectSkippingAuth(node.wsUrl());
         WsClient writer = WsClient.connectSkippingAuth(node.wsUrl())) {
      reqOpen(reader, "e", "{\"kinds\":[20001],\"authors\":[\"" + k.publicKeyHex() + "\"]}");
      Event ephemeral = EventSigner.sign(k, now(), 20001, List.of(), "now");
      assertTrue(publish(writer, ephemeral).path(2).asBoolean());
      assertEquals(ephemeral.id(), reader.next().path(2).path("id").asText());
      assertEquals(List.of(), req(writer, "e2", "{\"ids\":[\"" + ephemeral.id() + "\"]}"));
    }
  }

  @Test
  void deletionRemovesOwnEventsOnly() throws Exception {
    Keys k = Keys.generate();
    Event mine = note(k, now() - 5, "mine", List.of());
    Event theirs = note(alice, now() - 5, "theirs", List.of());
    try (WsClient c = WsClient.connectSkippingAuth(node.wsUrl())) {
      publish(c, mine);
      publish(c, theirs);
      Event deletion = EventSigner.sign(k, now(), 5, List.of(List.of("e", mine.id()), List.of("e", theirs.id())), "");
      assertTrue(publish(c, deletion).path(2).asBoolean());
      assertEquals(List.of(theirs.id()), req(c, "d", "{\"ids\":[\"" + mine.id() + "\",\"" + theirs.id() + "\"]}"));
      JsonNode again = publish(c, mine);
      assertFalse(again.path(2).asBoolean(), again.toString());
      Event article = EventSigner.sign(k, now() - 50, 30023, List.of(List.of("d", "post")), "v1");
      publish(c, article);
      Event deleteAddress = EventSigner.sign(k, now() - 40, 5,
          List.of(List.of("a", "30023:" + k.publicKeyHex() + ":post")), "");
      publish(c, deleteAddress);
      assertEquals(List.of(), req(c, "d2", "{\"kinds\":[30023],\"authors\":[\"" + k.publicKeyHex() + "\"]}"));
      JsonNode older = publish(c, EventSigner.sign(k, now() - 45, 30023, List.of(List.of("d", "post")), "v0"));
      assertFalse(older.path(2).asBoolean(), "an a-tag deletion blocks older versions: " + older);
      Event newer = EventSigner.sign(k, now(), 30023, List.of(List.of("d", "post")), "v2");
      assertTrue(publish(c, newer).path(2).asBoolean());
    }
  }

  @Test
  void countCountsDistinctMatches() throws Exception {
    Keys k = Keys.generate();
    try (WsClient c = WsClient.connectSkippingAuth(node.wsUrl())) {
      for (int i = 0; i < 3; i++) publish(c, note(k, now() - i, "n" + i, List.of(List.of("t", "c" + (i % 2)))));
      String author = "{\"authors\":[\"" + k.publicKeyHex() + "\"]}";
      c.send("[\"COUNT\",\"c\"," + author + ",{\"#t\":[\"c0\"],\"authors\":[\"" + k.publicKeyHex() + "\"]}]");
      JsonNode count = c.next();
      assertEquals("COUNT", count.path(0).asText());
      assertEquals("c", count.path(1).asText());
      assertEquals(3, count.path(2).path("count").asLong());
    }
  }

  @Test
  void invalidRequestsAreClosedWithReasons() throws Exception {
    try (WsClient c = WsClient.connectSkippingAuth(node.wsUrl())) {
      c.send("[\"REQ\",\"" + "x".repeat(65) + "\",{}]");
      assertTrue(c.next().path(2).asText().startsWith("invalid:"));
      c.send("[\"REQ\",\"bad\",{\"authors\":[\"nothex\"]}]");
      JsonNode closed = c.next();
      assertEquals("CLOSED", closed.path(0).asText());
      assertTrue(closed.path(2).asText().startsWith("invalid:"), closed.toString());
      c.send("[\"REQ\",\"bad2\",{\"kinds\":[\"one\"]}]");
      assertTrue(c.next().path(2).asText().startsWith("invalid:"));
      c.send("[\"REQ\",\"nofilter\"]");
      assertTrue(c.next().path(2).asText().startsWith("invalid:"));
    }
  }

  @Test
  void limitsAreEnforcedWithClearErrors() throws Exception {
    Keys k = Keys.generate();
    try (WsClient c = WsClient.connectSkippingAuth(node.wsUrl())) {
      JsonNode future = publish(c, note(k, now() + 3600, "future", List.of()));
      assertFalse(future.path(2).asBoolean());
      assertTrue(future.path(3).asText().startsWith("invalid: created_at"), future.toString());
      List<List<String>> tags = new ArrayList<>();
      for (int i = 0; i < 2001; i++) tags.add(List.of("t", "x" + i));
      JsonNode tooMany = publish(c, note(k, now(), "tags", tags));
      assertFalse(tooMany.path(2).asBoolean());
      JsonNode big = publish(c, note(k, now(), "x".repeat(70_000), List.of()));
      assertTrue(big.path(3).asText().startsWith("invalid: event is larger"), big.toString());
      JsonNode expired = publish(c, note(k, now(), "gone", List.of(List.of("expiration", String.valueOf(now() - 1)))));
      assertEquals("invalid: event has expired", expired.path(3).asText());
    }
  }

  @Test
  void tooManySubscriptionsAreRefused() throws Exception {
    try (WsClient c = WsClient.connectSkippingAuth(node.wsUrl())) {
      for (int i = 0; i < 200; i++) {
        c.send("[\"REQ\",\"sub" + i + "\",{\"kinds\":[7777],\"limit\":0}]");
        assertEquals("EOSE", c.next().path(0).asText());
      }
      c.send("[\"REQ\",\"one-more\",{\"kinds\":[7777]}]");
      JsonNode closed = c.next();
      assertEquals("CLOSED", closed.path(0).asText());
      assertTrue(closed.path(2).asText().startsWith("blocked:"), closed.toString());
      c.send("[\"REQ\",\"sub0\",{\"kinds\":[7777],\"limit\":0}]");
      assertEquals("EOSE", c.next().path(0).asText(), "replacing an open subscription is always allowed");
    }
  }
}
