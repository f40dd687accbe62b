package archy.streams;

import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.nostr.Event;
import archy.nostr.EventSigner;
import archy.nostr.Keys;
import archy.nostr.Nip44;
import archy.testing.RelayCalls;
import archy.testing.WsClient;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** The wire side of PROTOCOLS.md §7 for the stream tests: offers, observations, NIP-42, payments, what came back. */
final class StreamCalls {
  private StreamCalls() {}

  static String address(Keys publisher, String d) {
    return "30083:" + publisher.publicKeyHex() + ":" + d;
  }

  /** Publishes the 30083 offer of stream {@code d} at {@code price} sat per observation, cadence 1 s. */
  static void offer(WsClient c, Keys publisher, String d, long price) {
    Event offer = EventSigner.sign(publisher, RelayCalls.now(), 30083, List.of(List.of("d", d), List.of("title", d),
        List.of("price", Long.toString(price), "sat"), List.of("cadence", "1"), List.of("k", "1083")), "");
    assertTrue(RelayCalls.publish(c, offer).path(2).asBoolean());
  }

  /** Publishes observation {@code seq} of stream {@code d}; it must be accepted. */
  static Event observe(WsClient c, Keys publisher, String d, long seq) {
    Event o = EventSigner.sign(publisher, RelayCalls.now(), 1083,
        List.of(List.of("a", address(publisher, d)), List.of("seq", Long.toString(seq))), "value " + seq);
    JsonNode ok = RelayCalls.publish(c, o);
    assertTrue(ok.path(2).asBoolean(), ok.toString());
    return o;
  }

  /** A connection that answered the relay's challenge as {@code keys}. */
  static WsClient authed(String wsUrl, Keys keys) {
    WsClient c = WsClient.connect(wsUrl);
    JsonNode challenge = c.next();
    Event auth = EventSigner.sign(keys, RelayCalls.now(), 22242,
        List.of(List.of("relay", wsUrl), List.of("challenge", challenge.path(1).asText())), "");
    c.send("[\"AUTH\"," + auth.json() + "]");
    assertTrue(c.next().path(2).asBoolean());
    return c;
  }

  /** A kind 21083 payment for stream {@code address}: {@code token} NIP-44 encrypted to the relay's key. */
  static Event payment(Keys subscriber, String relayPubkey, String address, String token) {
    byte[] key = Nip44.conversationKey(subscriber.secretHex(), relayPubkey);
    return EventSigner.sign(subscriber, RelayCalls.now(), 21083, List.of(List.of("a", address)),
        Nip44.encrypt("{\"token\":\"" + token + "\"}", key));
  }

  /** Messages until nothing came for {@code quietMillis}. */
  static List<JsonNode> drain(WsClient c, long quietMillis) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode m; (m = c.poll(quietMillis)) != null; ) out.add(m);
    return out;
  }

  /**
   * Messages until {@code events} EVENTs came (waiting up to 15 s for them, for what crosses processes on a busy
   * machine), then until nothing came for {@code quietMillis}: extra ones would show.
   */
  static List<JsonNode> drain(WsClient c, int events, long quietMillis) {
    List<JsonNode> out = new ArrayList<>();
    long until = System.nanoTime() + 15_000_000_000L;
    while (seqs(out).size() < events && System.nanoTime() < until) {
      JsonNode m = c.poll(Math.max(1, (until - System.nanoTime()) / 1_000_000));
      if (m != null) out.add(m);
    }
    out.addAll(drain(c, quietMillis));
    return out;
  }

  /** The seq tags of the EVENTs among {@code messages}, in arrival order. */
  static List<String> seqs(List<JsonNode> messages) {
    List<String> out = new ArrayList<>();
    for (JsonNode m : messages) {
      if (!m.path(0).asText().equals("EVENT")) continue;
      for (JsonNode tag : m.path(2).path("tags")) if (tag.path(0).asText().equals("seq")) out.add(tag.path(1).asText());
    }
    return out;
  }

  static long notices(List<JsonNode> messages, String prefix) {
    return messages.stream().filter(m -> m.path(0).asText().equals("NOTICE") && m.path(1).asText().startsWith(prefix)).count();
  }
}
