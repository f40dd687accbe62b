package archy.negentropy;

import archy.nostr.Event;
import archy.nostr.EventSigner;
import archy.nostr.Hex;
import archy.nostr.Keys;
import archy.testing.TestNode;
import archy.testing.WsClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * NIP-77 against paging REQs on a real node (SQLite) holding 100,000 kind-1 events: a client holding 99.5 %
 * of them plus 0.5 % the node lacks (1 % difference) reconciles with our negentropy client, then the same
 * client pages through every event with REQ (limit 5,000, until the oldest seen). Bytes are the WebSocket text
 * of each message (compact JSON as sent), both directions. A main, not a test. From relay-server after
 * {@code mvn test-compile}:
 * <pre>
 * java -cp "target/classes:target/test-classes:target/lib/*" archy.negentropy.NegentropyBenchmark
 * </pre>
 */
final class NegentropyBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int EVENTS = 100_000;
  private static final int DIFFERENCE = EVENTS / 200; // each way: 1 % in all
  private static final int CLIENT_FRAME = 60_000;

  private NegentropyBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("negentropy-bench");
    try (TestNode node = TestNode.start(dir, "[relay]\nevents_per_second = 1000000\nevent_burst = 1000000\n")) {
      Keys keys = Keys.generate();
      long base = System.currentTimeMillis() / 1000 - EVENTS;
      Storage.Builder client = new Storage.Builder();
      Set<String> expectNeed = new HashSet<>();
      long started = System.nanoTime();
      try (WsClient c = WsClient.connectSkippingAuth(node.wsUrl())) {
        List<Event> batch = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
          Event e = EventSigner.sign(keys, base + i / 3, 1, List.of(), "event " + i);
          batch.add(e);
          if (i % (EVENTS / DIFFERENCE) == 0) expectNeed.add(e.id());
          else client.add(e.createdAt(), e.id());
          if (batch.size() == 500 || i == EVENTS - 1) {
            for (Event b : batch) c.send("[\"EVENT\"," + b.json() + "]");
            for (int k = 0; k < batch.size(); k++) {
              JsonNode ok = c.next(60_000);
              if (!ok.path(2).asBoolean()) throw new AssertionError(ok.toString());
            }
            batch.clear();
          }
        }
      }
      SecureRandom random = new SecureRandom();
      for (int i = 0; i < DIFFERENCE; i++) {
        byte[] id = new byte[32];
        random.nextBytes(id);
        client.add(base + random.nextInt(EVENTS / 3), id);
      }
      System.out.printf("stored %,d events in %.1f s%n", EVENTS, (System.nanoTime() - started) / 1e9);
      Storage storage = client.seal();
      for (int run = 0; run < 2; run++) {
        try (WsClient c = WsClient.connectSkippingAuth(node.wsUrl())) {
          negentropy(c, storage, expectNeed);
          paging(c);
        }
      }
    }
  }

  private static void negentropy(WsClient c, Storage storage, Set<String> expectNeed) throws Exception {
    long t0 = System.nanoTime();
    Negentropy neg = new Negentropy(storage, CLIENT_FRAME);
    long sent = 0;
    long received = 0;
    int rounds = 0;
    Set<String> have = new HashSet<>();
    Set<String> need = new HashSet<>();
    String out = "[\"NEG-OPEN\",\"b\",{},\"" + Hex.encode(neg.initiate()) + "\"]";
    while (out != null) {
      c.send(out);
      sent += out.length();
      JsonNode m = c.next(120_000);
      received += JSON.writeValueAsString(m).length();
      if (!m.path(0).asText().equals("NEG-MSG")) throw new AssertionError(m.toString());
      rounds++;
      Negentropy.Reply reply = neg.reconcile(Hex.decode(m.path(2).asText()));
      have.addAll(reply.have());
      need.addAll(reply.need());
      out = reply.next() == null ? null : "[\"NEG-MSG\",\"b\",\"" + Hex.encode(reply.next()) + "\"]";
    }
    c.send("[\"NEG-CLOSE\",\"b\"]");
    if (!need.equals(expectNeed) || have.size() != DIFFERENCE) throw new AssertionError("wrong differences");
    System.out.printf("negentropy: %d round trips, %,d bytes sent, %,d received, %.2f s (have %d, need %d)%n",
        rounds, sent, received, (System.nanoTime() - t0) / 1e9, have.size(), need.size());
  }

  private static void paging(WsClient c) throws Exception {
    long t0 = System.nanoTime();
    long sent = 0;
    long received = 0;
    long idBytes = 0;
    Set<String> ids = new HashSet<>();
    Long until = null;
    while (true) {
      String req = "[\"REQ\",\"p\",{\"limit\":5000" + (until == null ? "" : ",\"until\":" + until) + "}]";
      c.send(req);
      sent += req.length();
      int fresh = 0;
      long oldest = Long.MAX_VALUE;
      while (true) {
        JsonNode m = c.next(120_000);
        received += JSON.writeValueAsString(m).length();
        if (m.path(0).asText().equals("EOSE")) break;
        String id = m.path(2).path("id").asText();
        if (ids.add(id)) {
          fresh++;
          idBytes += 64;
        }
        oldest = Math.min(oldest, m.path(2).path("created_at").asLong());
      }
      c.send("[\"CLOSE\",\"p\"]");
      if (fresh == 0) break;
      // Same-second events may straddle a page: ask again from the oldest second seen.
      until = oldest;
    }
    System.out.printf("REQ paging: %,d events, %,d bytes sent, %,d received (%,d of them hex ids), %.2f s%n",
        ids.size(), sent, received, idBytes, (System.nanoTime() - t0) / 1e9);
  }
}
