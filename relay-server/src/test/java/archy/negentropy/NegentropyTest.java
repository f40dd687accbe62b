package archy.negentropy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.nostr.Hex;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NegentropyTest {

  /** Runs a whole session between a client and a server over the two sets; returns the client's findings. */
  static Result sync(Map<String, Long> client, Map<String, Long> server, int clientLimit, int serverLimit) {
    Negentropy c = new Negentropy(storage(client), clientLimit);
    Negentropy s = new Negentropy(storage(server), serverLimit);
    Set<String> have = new HashSet<>();
    Set<String> need = new HashSet<>();
    byte[] msg = c.initiate();
    int rounds = 0;
    while (msg != null) {
      if (clientLimit != 0) assertTrue(msg.length <= clientLimit, "client message over its frame limit");
      byte[] answer = s.respond(msg);
      if (serverLimit != 0) assertTrue(answer.length <= serverLimit, "server message over its frame limit");
      Negentropy.Reply reply = c.reconcile(answer);
      have.addAll(reply.have());
      need.addAll(reply.need());
      msg = reply.next();
      assertTrue(++rounds < 1000, "reconciliation does not terminate");
    }
    return new Result(have, need, rounds);
  }

  record Result(Set<String> have, Set<String> need, int rounds) {}

  static Storage storage(Map<String, Long> records) {
    Storage.Builder b = new Storage.Builder();
    records.forEach((id, ts) -> b.add(ts, id));
    return b.seal();
  }

  static String randomId(Random r) {
    byte[] id = new byte[32];
    r.nextBytes(id);
    return Hex.encode(id);
  }

  @ParameterizedTest(name = "{0} shared, {1} client only, {2} server only, limits {3}/{4}")
  @CsvSource({
      "0, 0, 0, 0, 0",
      "0, 5, 0, 0, 0",
      "0, 0, 5, 0, 0",
      "1000, 0, 0, 0, 0",
      "0, 3000, 0, 0, 0",
      "0, 0, 3000, 0, 0",
      "5000, 50, 50, 0, 0",
      "20000, 200, 200, 4096, 0",
      "20000, 200, 200, 0, 4096",
      "3000, 3000, 3000, 4096, 4096",
      "100, 10000, 10000, 4096, 8192",
  })
  void reconcilesToTheExactDifferences(int shared, int clientOnly, int serverOnly, int clientLimit,
                                       int serverLimit) {
    Random r = new Random(shared * 31L + clientOnly * 7L + serverOnly + clientLimit + serverLimit);
    Map<String, Long> client = new HashMap<>();
    Map<String, Long> server = new HashMap<>();
    // Few distinct timestamps so many records tie and bounds need id prefixes.
    long base = 1_700_000_000L;
    for (int i = 0; i < shared; i++) {
      String id = randomId(r);
      long ts = base + r.nextInt(shared / 10 + 1);
      client.put(id, ts);
      server.put(id, ts);
    }
    Set<String> expectHave = new HashSet<>();
    Set<String> expectNeed = new HashSet<>();
    for (int i = 0; i < clientOnly; i++) {
      String id = randomId(r);
      client.put(id, base + r.nextInt(1000));
      expectHave.add(id);
    }
    for (int i = 0; i < serverOnly; i++) {
      String id = randomId(r);
      server.put(id, base + r.nextInt(1000));
      expectNeed.add(id);
    }
    Result result = sync(client, server, clientLimit, serverLimit);
    assertEquals(expectHave, result.have());
    assertEquals(expectNeed, result.need());
  }

  @Test
  void identicalSetsFinishInOneRoundTrip() {
    Random r = new Random(1);
    Map<String, Long> set = new HashMap<>();
    for (int i = 0; i < 50_000; i++) set.put(randomId(r), 1_700_000_000L + i);
    Result result = sync(set, new HashMap<>(set), 0, 0);
    assertEquals(1, result.rounds());
    assertTrue(result.have().isEmpty() && result.need().isEmpty());
  }

  @Test
  void fingerprintIsTheTruncatedSha256OfTheLittleEndianSumAndCount() throws Exception {
    // ids 0xff..ff and 0x01 00..00 (little-endian 1) sum to 0 mod 2^256: the carry must run through all 32 bytes.
    byte[] max = new byte[32];
    java.util.Arrays.fill(max, (byte) 0xff);
    byte[] one = new byte[32];
    one[0] = 1;
    Storage s = new Storage.Builder().add(5, max).add(6, one).seal();
    byte[] input = new byte[33];
    input[32] = 2; // varint(2) after the 32 zero bytes of the sum
    byte[] sha = java.security.MessageDigest.getInstance("SHA-256").digest(input);
    assertArrayEquals(java.util.Arrays.copyOf(sha, 16), s.fingerprint(0, 2));
  }

  @Test
  void varintsAreBase128MostSignificantFirst() {
    Wire.Writer w = new Wire.Writer();
    w.writeVarint(0);
    w.writeVarint(127);
    w.writeVarint(128);
    w.writeVarint(16384);
    assertEquals("007f8100818000", Hex.encode(w.toByteArray()));
    Wire.Reader rd = new Wire.Reader(w.toByteArray());
    assertEquals(0, rd.readVarint());
    assertEquals(127, rd.readVarint());
    assertEquals(128, rd.readVarint());
    assertEquals(16384, rd.readVarint());
  }

  @Test
  void serverAnswersAnUnknownVersionWithItsOwn() {
    Negentropy server = new Negentropy(new Storage.Builder().seal(), 0);
    assertEquals("61", Hex.encode(server.respond(new byte[] {0x62})));
  }

  @Test
  void malformedMessagesAreProtocolErrors() {
    Negentropy server = new Negentropy(new Storage.Builder().seal(), 0);
    assertThrows(NegentropyException.class, () -> server.respond(new byte[0]));
    assertThrows(NegentropyException.class, () -> server.respond(new byte[] {0x10}));
    assertThrows(NegentropyException.class, () -> server.respond(new byte[] {0x61, 0x00, 0x00, 0x01}));
    assertThrows(NegentropyException.class, () -> server.respond(new byte[] {0x61, 0x00, 0x21}));
    assertThrows(NegentropyException.class, () -> server.respond(new byte[] {0x61, 0x00, 0x00, 0x07}));
    assertThrows(NegentropyException.class, () -> server.respond(Hex.decode("61ffffffffffffffffffff7f")));
  }
}
