package archy.streams;

import static archy.streams.StreamCalls.drain;
import static archy.streams.StreamCalls.notices;
import static archy.streams.StreamCalls.seqs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.ecash.TestMint;
import archy.nostr.Event;
import archy.nostr.EventSigner;
import archy.nostr.Keys;
import archy.nostr.Nip44;
import archy.testing.PostgresSchema;
import archy.testing.RelayCalls;
import archy.testing.TestNode;
import archy.testing.WsClient;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real node with ecash-gate and paid-streams, a dev mint over HTTP, a publisher of a priced stream and a
 * subscriber that authenticates (NIP-42) and pays with kind 21083 events carrying NIP-44 encrypted tokens.
 */
class PaidStreamsTest {
  private static final long PRICE = 2;

  @TempDir Path dir;
  TestMint mint;
  TestNode node;
  final Keys publisher = Keys.generate();
  final Keys subscriber = Keys.generate();
  long seq;

  PostgresSchema schema;

  @BeforeEach
  void start() throws Exception {
    start("");
  }

  /** Restarts on a fresh PostgreSQL schema (the same scenarios on the other back end). */
  void onPostgres() throws Exception {
    stop();
    schema = PostgresSchema.create();
    start("[storage]\nurl = \"" + schema.storageUrl() + "\"\n");
  }

  void start(String storage) throws Exception {
    mint = TestMint.start("streams-" + System.nanoTime(), dir.resolve("payer-" + System.nanoTime()));
    node = TestNode.start(dir.resolve("node-" + System.nanoTime()), storage + StreamNodes.config(mint.url(), 100_000));
  }

  @AfterEach
  void stop() throws Exception {
    if (node != null) node.close();
    if (mint != null) mint.close();
    if (schema != null) schema.close();
    node = null;
    mint = null;
    schema = null;
  }

  @Test
  void onPostgresql() throws Exception {
    onPostgres();
    payPerObservationWithCatchUpGapsReconnectAndResend();
  }

  private String address(String d) {
    return StreamCalls.address(publisher, d);
  }

  private void offer(WsClient c, String d) {
    StreamCalls.offer(c, publisher, d, PRICE);
  }

  private Event observe(WsClient c, String d) {
    return StreamCalls.observe(c, publisher, d, ++seq);
  }

  private WsClient authed(Keys keys) {
    return StreamCalls.authed(node.wsUrl(), keys);
  }

  private Event payment(String d, String token) {
    return payment(subscriber, d, token);
  }

  private Event payment(Keys payer, String d, String token) {
    return StreamCalls.payment(payer, node.node.keys().publicKeyHex(), address(d), token);
  }

  @Test
  void payPerObservationWithCatchUpGapsReconnectAndResend() throws Exception {
    try (WsClient pub = authed(publisher)) {
      offer(pub, "prices");
      for (int i = 0; i < 5; i++) observe(pub, "prices");

      // unauthenticated REQ: auth-required
      try (WsClient anon = WsClient.connectSkippingAuth(node.wsUrl())) {
        anon.send("[\"REQ\",\"s\",{\"kinds\":[1083]}]");
        JsonNode closed = anon.next();
        assertEquals("CLOSED", closed.path(0).asText());
        assertTrue(closed.path(2).asText().startsWith("auth-required:"), closed.toString());
        anon.send("[\"COUNT\",\"n\",{\"kinds\":[1083]}]");
        assertTrue(anon.next().path(2).asText().startsWith("auth-required:"));
      }

      WsClient sub = authed(subscriber);
      // COUNT never reveals how many withheld observations there are, authenticated or not
      sub.send("[\"COUNT\",\"n\",{\"kinds\":[1083]}]");
      JsonNode count = sub.next();
      assertEquals("CLOSED", count.path(0).asText(), count.toString());
      assertTrue(count.path(2).asText().startsWith("restricted:"), count.toString());
      sub.send("[\"REQ\",\"s\",{\"kinds\":[1083],\"#a\":[\"" + address("prices") + "\"]}]");
      List<JsonNode> first = drain(sub, 1500);
      assertEquals(List.of(), seqs(first), "no credit: no observation");
      assertEquals(1, notices(first, "payment-required: " + address("prices") + " creqA"), first.toString());

      // pay for 3: exactly 3, in seq order
      String three = mint.token(3 * PRICE).encode();
      Event pay3 = payment("prices", three);
      sub.send("[\"EVENT\"," + pay3.json() + "]");
      List<JsonNode> afterPay = drain(sub, 1500);
      assertTrue(afterPay.stream().anyMatch(m -> m.path(0).asText().equals("OK") && m.path(2).asBoolean()), afterPay.toString());
      assertEquals(List.of("1", "2", "3"), seqs(afterPay));
      // 4 and 5 are stored and not covered: told once, as the catch-up stops short
      assertEquals(1, notices(afterPay, "payment-required: " + address("prices")), afterPay.toString());

      // live ones past the credit: withheld, and no more NOTICEs on this subscription
      for (int i = 0; i < 10; i++) observe(pub, "prices");
      List<JsonNode> flood = drain(sub, 1000);
      assertEquals(List.of(), seqs(flood));
      assertEquals(0, notices(flood, "payment-required:"), flood.toString());

      // a gap of 12 withheld, pay for 2: exactly the next 2 (4, 5), not everything the lifetime total would cover
      sub.send("[\"EVENT\"," + payment("prices", mint.token(2 * PRICE).encode()).json() + "]");
      assertEquals(List.of("4", "5"), seqs(drain(sub, 1500)));

      // disconnect and reconnect: the stored query re-sends what was paid for, free; nothing more
      sub.close();
      sub = authed(subscriber);
      List<String> again = new ArrayList<>();
      sub.send("[\"REQ\",\"s\",{\"kinds\":[1083],\"#a\":[\"" + address("prices") + "\"]}]");
      List<JsonNode> resumed = drain(sub, 1500);
      again.addAll(seqs(resumed));
      again.sort(null);
      assertEquals(List.of("1", "2", "3", "4", "5"), again);

      // re-sent token: duplicate, no credit, the newest paid observation again
      sub.send("[\"EVENT\"," + pay3.json() + "]");
      List<JsonNode> dup = drain(sub, 1500);
      assertTrue(dup.stream().anyMatch(m -> m.path(0).asText().equals("OK") && m.path(2).asBoolean()
          && m.path(3).asText().startsWith("duplicate:")), dup.toString());
      assertEquals(List.of("5"), seqs(dup));

      // spent and garbage tokens: OK false, no credit
      sub.send("[\"EVENT\"," + payment("prices", "cashuBgarbage").json() + "]");
      JsonNode garbage = sub.next();
      assertFalse(garbage.path(2).asBoolean(), garbage.toString());
      Event wrongKey = EventSigner.sign(subscriber, RelayCalls.now(), 21083, List.of(List.of("a", address("prices"))),
          Nip44.encrypt("{\"token\":\"x\"}", Nip44.conversationKey(subscriber.secretHex(), publisher.publicKeyHex())));
      sub.send("[\"EVENT\"," + wrongKey.json() + "]");
      assertTrue(sub.next().path(3).asText().startsWith("invalid:"));
      observe(pub, "prices");
      assertEquals(List.of(), seqs(drain(sub, 1000)));
      sub.close();
    }
  }

  @Test
  void creditNeverCrossesStreamsAndSeqMustRise() throws Exception {
    try (WsClient pub = authed(publisher); WsClient sub = authed(subscriber)) {
      offer(pub, "a");
      offer(pub, "b");
      observe(pub, "a");
      Event stale = EventSigner.sign(publisher, RelayCalls.now(), 1083,
          List.of(List.of("a", address("a")), List.of("seq", "1")), "again");
      JsonNode refused = RelayCalls.publish(pub, stale);
      assertFalse(refused.path(2).asBoolean());
      assertTrue(refused.path(3).asText().startsWith("invalid:"), refused.toString());
      seq = 0;
      observe(pub, "b");
      sub.send("[\"REQ\",\"s\",{\"kinds\":[1083]}]");
      drain(sub, 1000);
      sub.send("[\"EVENT\"," + payment("a", mint.token(5 * PRICE).encode()).json() + "]");
      List<JsonNode> got = drain(sub, 1500);
      List<String> streams = new ArrayList<>();
      for (JsonNode m : got) {
        if (m.path(0).asText().equals("EVENT")) {
          for (JsonNode tag : m.path(2).path("tags")) if (tag.path(0).asText().equals("a")) streams.add(tag.path(1).asText());
        }
      }
      assertEquals(List.of(address("a")), streams, got.toString());
      seq = 1;
      observe(pub, "b");
      List<JsonNode> live = drain(sub, 1000);
      assertEquals(List.of(), seqs(live), "stream b has no credit");
      seq = 1;
      observe(pub, "a");
      assertEquals(List.of("2"), seqs(drain(sub, 1000)));
      assertNull(sub.poll(200));
    }
  }

  /**
   * One live observation for many subscriptions is debited for all of them together: each payer once however many
   * subscriptions it has open, only payers whose balance covers it, and the unpaid told once.
   */
  @Test
  void liveFanOutDebitsEachPayerOnceAcrossSubscriptions() throws Exception {
    Keys two = Keys.generate();
    Keys one = Keys.generate();
    Keys none = Keys.generate();
    try (WsClient pub = authed(publisher); WsClient a1 = authed(two); WsClient a2 = authed(two);
         WsClient b = authed(one); WsClient c = authed(none)) {
      offer(pub, "live");
      List<WsClient> subs = List.of(a1, a2, b, c);
      for (WsClient s : subs) s.send("[\"REQ\",\"s\",{\"kinds\":[1083],\"#a\":[\"" + address("live") + "\"]}]");
      for (WsClient s : subs) drain(s, 300);
      a1.send("[\"EVENT\"," + payment(two, "live", mint.token(2 * PRICE).encode()).json() + "]");
      b.send("[\"EVENT\"," + payment(one, "live", mint.token(PRICE).encode()).json() + "]");
      assertTrue(a1.next().path(2).asBoolean());
      assertTrue(b.next().path(2).asBoolean());
      List<List<JsonNode>> got = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
      int[] paidFor = {2, 2, 1, 0};
      for (int i = 0; i < 3; i++) {
        observe(pub, "live");
        for (int k = 0; k < subs.size(); k++) got.get(k).addAll(drain(subs.get(k), i < paidFor[k] ? 1 : 0, 500));
      }
      assertEquals(List.of("1", "2"), seqs(got.get(0)), "two subscriptions of one payer: debited once each time");
      assertEquals(List.of("1", "2"), seqs(got.get(1)));
      assertEquals(List.of("1"), seqs(got.get(2)));
      assertEquals(List.of(), seqs(got.get(3)));
      assertEquals(1, notices(got.get(3), "payment-required: " + address("live")), got.get(3).toString());
      assertEquals(1, notices(got.get(2), "payment-required: " + address("live")), got.get(2).toString());
    }
  }
}
