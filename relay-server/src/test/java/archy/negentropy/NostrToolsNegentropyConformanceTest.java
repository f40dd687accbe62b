package archy.negentropy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import archy.nostr.Hex;
import archy.testing.NodeScripts;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our negentropy against nostr-tools' nip77 (the JavaScript port of the reference): every session runs between
 * our client and our server, and nostr-tools, given the same client set and our server's messages, must send
 * byte-identical client messages and find the same have/need ids. That checks our client's encoding and
 * our server's messages as the reference reads them. Our server is also checked against nostr-tools' own
 * client over a real relay in the NIP-77 interop test.
 */
class NostrToolsNegentropyConformanceTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  @Test
  void nostrToolsAgreesOnRandomizedSessions() throws Exception {
    Random r = new Random(77);
    // {shared, client only, server only, server frame limit}
    int[][] cases = {
        {0, 0, 0, 0}, {0, 40, 0, 0}, {0, 0, 40, 0}, {2000, 0, 0, 0}, {0, 3000, 0, 0}, {0, 0, 3000, 0},
        {5000, 60, 60, 0}, {5000, 300, 300, 4096}, {1000, 2000, 2000, 8192}, {20000, 5, 5, 0},
    };
    for (int[] c : cases) {
      Map<String, Long> client = new HashMap<>();
      Map<String, Long> server = new HashMap<>();
      for (int i = 0; i < c[0]; i++) {
        String id = NegentropyTest.randomId(r);
        long ts = 1_700_000_000L + r.nextInt(c[0] / 20 + 1);
        client.put(id, ts);
        server.put(id, ts);
      }
      for (int i = 0; i < c[1]; i++) client.put(NegentropyTest.randomId(r), 1_700_000_000L + r.nextInt(500));
      for (int i = 0; i < c[2]; i++) server.put(NegentropyTest.randomId(r), 1_700_000_000L + r.nextInt(500));
      check(client, server, c[3]);
    }
  }

  private void check(Map<String, Long> client, Map<String, Long> server, int serverLimit) throws Exception {
    Negentropy ours = new Negentropy(NegentropyTest.storage(client), 0);
    Negentropy theirs = new Negentropy(NegentropyTest.storage(server), serverLimit);
    ObjectNode transcript = JSON.createObjectNode();
    ArrayNode records = transcript.putArray("client");
    client.forEach((id, ts) -> records.addArray().add(ts).add(id));
    ArrayNode messages = transcript.putArray("messages");
    TreeSet<String> have = new TreeSet<>();
    TreeSet<String> need = new TreeSet<>();
    byte[] msg = ours.initiate();
    while (msg != null) {
      messages.add(Hex.encode(msg));
      byte[] answer = theirs.respond(msg);
      messages.add(Hex.encode(answer));
      Negentropy.Reply reply = ours.reconcile(answer);
      have.addAll(reply.have());
      need.addAll(reply.need());
      msg = reply.next();
    }
    Path file = Files.writeString(dir.resolve("transcript.json"), JSON.writeValueAsString(transcript));
    NodeScripts.Result result = NodeScripts.run("negentropy-replay.mjs", file.toString());
    assertEquals(0, result.exitCode(), result.output());
    JsonNode found = JSON.readTree(result.output().lines().reduce((a, b) -> b).orElseThrow());
    assertEquals(have, strings(found.get("have")), "have ids");
    assertEquals(need, strings(found.get("need")), "need ids");
    TreeSet<String> expectHave = new TreeSet<>(client.keySet());
    expectHave.removeAll(server.keySet());
    TreeSet<String> expectNeed = new TreeSet<>(server.keySet());
    expectNeed.removeAll(client.keySet());
    assertEquals(expectHave, have);
    assertEquals(expectNeed, need);
  }

  private static TreeSet<String> strings(JsonNode array) {
    TreeSet<String> out = new TreeSet<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
