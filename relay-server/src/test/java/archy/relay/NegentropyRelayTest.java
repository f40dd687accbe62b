package archy.relay;

import static archy.testing.RelayCalls.now;
import static archy.testing.RelayCalls.publish;
import static archy.testing.RelayCalls.quote;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.negentropy.Negentropy;
import archy.negentropy.Storage;
import archy.nostr.Event;
import archy.nostr.EventSigner;
import archy.nostr.Hex;
import archy.nostr.Keys;
import archy.testing.NodeScripts;
import archy.testing.TestNode;
import archy.testing.WsClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NIP-77 against a real node: nostr-tools' client and ours reconcile to the exact differences, within limits. */
class NegentropyRelayTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();
  @TempDir static Path dir;
  static TestNode node;
  static final Keys alice = Keys.generate();
  static final Keys bob = Keys.generate();
  static final Keys carol = Keys.generate();
  /** alice's kind 1 notes on the node, id to created_at. */
  static final Map<String, Long> stored = new HashMap<>();
  static Event dmToAlice;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(dir, """
        [relay]
        events_per_second = 10000
        event_burst = 10000
        auth_required_kinds = [4]
        negentropy_max_records = 150
        negentropy_max_sessions = 2
        """);
    try (WsClient c = WsClient.connectSkippingAuth(node.wsUrl())) {
      long base = now() - 10_000;
      for (int i = 0; i < 120; i++) {
        // Pairs share a timestamp so bounds need id prefixes.
        Event e = EventSigner.sign(alice, base + i / 2, 1, List.of(), "note " + i);
        assertTrue(publish(c, e).path(2).asBoolean());
        stored.put(e.id(), e.createdAt());
      }
      for (int i = 0; i < 40; i++) assertTrue(publish(c, EventSigner.sign(carol, base + i, 1, List.of(), "c" + i))
          .path(2).asBoolean());
    }
    try (WsClient b = AuthTest.authed(node, bob)) {
      dmToAlice = EventSigner.sign(bob, now(), 4, List.of(List.of("p", alice.publicKeyHex())), "secret");
      assertTrue(publish(b, dmToAlice).path(2).asBoolean());
    }
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  /** Our records: most of alice's notes, minus some, plus ids the relay never saw. */
  static Map<String, Long> clientRecords(Set<String> missing, Set<String> extra) {
    Map<String, Long> records = new HashMap<>(stored);
    int n = 0;
    for (String id : stored.keySet()) {
      if (n++ % 7 == 0) {
        records.remove(id);
        missing.add(id);
      }
    }
    for (int i = 0; i < 15; i++) {
      byte[] id = new byte[32];
      RANDOM.nextBytes(id);
      records.put(Hex.encode(id), now() - RANDOM.nextInt(20_000));
      extra.add(Hex.encode(id));
    }
    return records;
  }

  @Test
  void nostrToolsClientReconcilesExactly() throws Exception {
    Set<String> missing = new TreeSet<>();
    Set<String> extra = new TreeSet<>();
    Map<String, Long> records = clientRecords(missing, extra);
    ObjectNode input = JSON.createObjectNode();
    input.putObject("filter").putArray("authors").add(alice.publicKeyHex());
    ArrayNode list = input.putArray("records");
    records.forEach((id, ts) -> list.addArray().add(ts).add(id));
    Path file = Files.writeString(dir.resolve("nip77-input.json"), JSON.writeValueAsString(input));
    NodeScripts.Result r = NodeScripts.run("nip77-sync.mjs", node.wsUrl(), file.toString());
    assertEquals(0, r.exitCode(), r.output());
    JsonNode found = JSON.readTree(r.output().lines().reduce((a, b) -> b).orElseThrow());
    assertEquals(extra, strings(found.get("have")));
    assertEquals(missing, strings(found.get("need")));
  }

  @Test
  void ourClientReconcilesExactlyAndSessionsCanBeReopened() {
    Set<String> missing = new TreeSet<>();
    Set<String> extra = new TreeSet<>();
    Map<String, Long> records = clientRecords(missing, extra);
    try (WsClient c = WsClient.connectSkippingAuth(node.wsUrl())) {
      for (int round = 0; round < 3; round++) { // the same id again replaces the session
        Outcome o = sync(c, "neg", "{\"authors\":[\"" + alice.publicKeyHex() + "\"]}", records);
        assertEquals(null, o.error());
        assertEquals(extra, o.have());
        assertEquals(missing, o.need());
      }
    }
  }

  @Test
  void authGatedEventsDoNotLeak() {
    try (WsClient anon = WsClient.connectSkippingAuth(node.wsUrl())) {
      Outcome named = sync(anon, "dm", "{\"kinds\":[4]}", Map.of());
      assertTrue(named.error().startsWith("auth-required:"), named.error());
      Outcome all = sync(anon, "all", "{\"authors\":[\"" + bob.publicKeyHex() + "\"]}", Map.of());
      assertEquals(Set.of(), all.need());
    }
    try (WsClient carolsClient = AuthTest.authed(node, carol)) {
      Outcome all = sync(carolsClient, "all", "{\"authors\":[\"" + bob.publicKeyHex() + "\"]}", Map.of());
      assertEquals(Set.of(), all.need(), "carol is neither author nor recipient");
    }
    try (WsClient alicesClient = AuthTest.authed(node, alice)) {
      Outcome all = sync(alicesClient, "all", "{\"authors\":[\"" + bob.publicKeyHex() + "\"]}", Map.of());
      assertEquals(Set.of(dmToAlice.id()), all.need(), "the p-tagged recipient sees it");
    }
  }

  @Test
  void limitsAndBadInputAreNegErrs() {
    try (WsClient c = WsClient.connectSkippingAuth(node.wsUrl())) {
      Outcome tooMany = sync(c, "big", "{}", Map.of()); // 161 stored, the DM among them
      assertTrue(tooMany.error().startsWith("blocked:"), tooMany.error());
      Outcome limited = sync(c, "lim", "{\"kinds\":[1],\"limit\":10}", Map.of());
      assertEquals(10, limited.need().size(), "an explicit limit takes the newest records, not a refusal");

      c.send("[\"NEG-MSG\",\"nosuch\",\"61\"]");
      assertNegErr(c, "nosuch", "closed:");
      c.send("[\"NEG-OPEN\",\"hex\",{},\"zz\"]");
      assertNegErr(c, "hex", "invalid:");
      c.send("[\"NEG-OPEN\",\"trunc\",{\"kinds\":[1],\"limit\":5},\"6100\"]");
      assertNegErr(c, "trunc", "invalid:");

      String init = Hex.encode(new Negentropy(new Storage.Builder().seal(), 0).initiate());
      for (String id : List.of("s1", "s2", "s3")) {
        c.send("[\"NEG-OPEN\"," + quote(id) + ",{\"kinds\":[1],\"limit\":1}," + quote(init) + "]");
      }
      List<JsonNode> answers = new ArrayList<>(List.of(c.next(), c.next(), c.next()));
      JsonNode refused = answers.stream().filter(m -> m.path(0).asText().equals("NEG-ERR")).findFirst().orElseThrow();
      assertEquals("s3", refused.path(1).asText());
      assertTrue(refused.path(2).asText().startsWith("blocked:"), refused.toString());
      c.send("[\"NEG-CLOSE\",\"s1\"]");
      c.send("[\"NEG-OPEN\",\"s4\",{\"kinds\":[1],\"limit\":1}," + quote(init) + "]");
      assertEquals("NEG-MSG", c.next().path(0).asText(), "a closed session frees its slot");
    }
  }

  private static void assertNegErr(WsClient c, String subId, String prefix) {
    JsonNode m = c.next();
    assertEquals("NEG-ERR", m.path(0).asText(), m.toString());
    assertEquals(subId, m.path(1).asText());
    assertTrue(m.path(2).asText().startsWith(prefix), m.toString());
  }

  record Outcome(Set<String> have, Set<String> need, String error) {}

  /** Runs a whole session with our client; closes it at the end. */
  static Outcome sync(WsClient c, String subId, String filter, Map<String, Long> records) {
    Storage.Builder b = new Storage.Builder();
    records.forEach((id, ts) -> b.add(ts, id));
    Negentropy neg = new Negentropy(b.seal(), 0);
    Set<String> have = new TreeSet<>();
    Set<String> need = new TreeSet<>();
    c.send("[\"NEG-OPEN\"," + quote(subId) + "," + filter + "," + quote(Hex.encode(neg.initiate())) + "]");
    while (true) {
      JsonNode m = c.next();
      assertEquals(subId, m.path(1).asText(), m.toString());
      if (m.path(0).asText().equals("NEG-ERR")) return new Outcome(have, need, m.path(2).asText());
      assertEquals("NEG-MSG", m.path(0).asText(), m.toString());
      Negentropy.Reply reply = neg.reconcile(Hex.decode(m.path(2).asText()));
      have.addAll(reply.have());
      need.addAll(reply.need());
      if (reply.next() == null) {
        c.send("[\"NEG-CLOSE\"," + quote(subId) + "]");
        return new Outcome(have, need, null);
      }
      c.send("[\"NEG-MSG\"," + quote(subId) + "," + quote(Hex.encode(reply.next())) + "]");
    }
  }

  private static TreeSet<String> strings(JsonNode array) {
    TreeSet<String> out = new TreeSet<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
