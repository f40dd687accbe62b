package archy.paidblobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.ecash.gate.PaymentGate;
import archy.ecash.request.PaymentRequest;
import archy.ecash.token.Token;
import archy.testing.BlossomCalls;
import archy.testing.RelayCalls;
import archy.testing.WsClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Paid GETs end to end (PROTOCOLS.md §4.1): one node, one dev mint, a film per test so scopes never mix. The blob
 * bytes are files here; {@link PaidGetS3Test} runs the same tests with them in an S3 bucket.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS) // start() and stop() are overridden by PaidGetS3Test
class PaidGetTest {
  static final String PAID_BLOBS = "publish_offer = true\noffer_check_seconds = 1";
  @TempDir static Path dir;
  static PaidNode n;
  /** Whether the node's store holds bytes under this sha256 (a file here, an object in PaidGetS3Test). */
  static Predicate<String> bytesStored;

  @BeforeAll
  void start() throws Exception {
    n = PaidNode.start(dir, PAID_BLOBS);
    bytesStored = sha -> java.nio.file.Files.exists(dir.resolve("node/blobs").resolve(sha.substring(0, 2))
        .resolve(sha.substring(2, 4)).resolve(sha));
  }

  @AfterAll
  void stop() throws Exception {
    if (n != null) n.close();
  }

  @Test
  void aGetWithoutCreditIsAskedToPayInTheFilmsScope() throws Exception {
    PaidNode.Film film = n.film("asked", PaidNode.PRICE, 20_000);
    HttpResponse<byte[]> r = n.blossom.get("/" + film.sha256(1));
    assertEquals(402, r.statusCode());
    String session = header(r, "X-Archy-Session");
    assertTrue(session.matches("[0-9a-f]{32}"), session);
    PaymentRequest request = PaymentRequest.decode(header(r, "X-Cashu"));
    assertTrue(header(r, "X-Cashu").startsWith("creqA"));
    assertEquals(20L, request.amount(), "20,000 bytes at 1000 sat/MB");
    assertEquals("sat", request.unit());
    assertEquals(List.of(n.mint.url()), request.mints());
    assertEquals(session, request.id());
    assertEquals("no-store", header(r, "Cache-Control"));
    String exposed = header(r, "Access-Control-Expose-Headers");
    assertTrue(exposed.contains("X-Cashu") && exposed.contains("X-Archy-Session") && exposed.contains("X-Reason"));
    assertTrue(header(r, "X-Reason").startsWith("payment required"));
  }

  @Test
  void aTokenPaysAndTheSessionIsDebitedByExactlyTheBytesSent() throws Exception {
    PaidNode.Film film = n.film("paid", PaidNode.PRICE, 30_000, 10_000);
    assertTrue(bytesStored.test(film.sha256(1)), "the segment's bytes are in the store under test");
    HttpResponse<byte[]> ask = n.blossom.get("/" + film.sha256(1));
    String session = header(ask, "X-Archy-Session");
    String token = n.mint.token(40).encode(); // 40,000 bytes: more than this segment
    HttpResponse<byte[]> paid = n.blossom.get("/" + film.sha256(1), "X-Cashu", token, "X-Archy-Session", session);
    assertEquals(200, paid.statusCode(), header(paid, "X-Reason"));
    assertArrayEquals(film.segments().get(0), paid.body());
    assertEquals("private", header(paid, "Cache-Control"));
    assertEquals(session, header(paid, "X-Archy-Session"));
    awaitBalance(session, film, 10_000);

    HttpResponse<byte[]> range = n.blossom.get("/b3/" + film.blake3(2), "Range", "bytes=100-2099",
        "X-Archy-Session", session);
    assertEquals(206, range.statusCode());
    assertArrayEquals(Arrays.copyOfRange(film.segments().get(1), 100, 2100), range.body());
    assertEquals("private", header(range, "Cache-Control"));
    awaitBalance(session, film, 8_000);

    HttpResponse<byte[]> whole = n.blossom.get("/api/film/" + film.blake3(2), "X-Archy-Session", session);
    assertEquals(402, whole.statusCode(), "8,000 bytes left, 10,000 asked");
    assertEquals(session, header(whole, "X-Archy-Session"));
    assertEquals(2L, PaymentRequest.decode(header(whole, "X-Cashu")).amount(), "the shortfall only");
    HttpResponse<byte[]> another = n.blossom.get("/api/film/" + film.blake3(2), "X-Archy-Session", session,
        "X-Cashu", n.mint.token(2).encode());
    assertEquals(200, another.statusCode(), header(another, "X-Reason"));
    assertArrayEquals(film.segments().get(1), another.body());
    awaitBalance(session, film, 0);
  }

  @Test
  void badTokensGet400AndCreditNothing() throws Exception {
    PaidNode.Film film = n.film("refused", PaidNode.PRICE, 5_000);
    String path = "/" + film.sha256(1);
    String session = header(n.blossom.get(path), "X-Archy-Session");
    Token good = n.mint.token(5);

    Token wrongUnit = new Token(good.mint(), "usd", null, good.proofs());
    assertRefused(path, session, wrongUnit.encode(), "unit");
    assertRefused(path, session, n.mint.token(4).encode(), "insufficient");
    assertRefused(path, session, "cashuBgarbage", null);
    try (var foreign = archy.ecash.TestMint.start("foreign-mint", dir.resolve("foreign"))) {
      assertRefused(path, session, foreign.token(5).encode(), "mint");
    }

    HttpResponse<byte[]> ok = n.blossom.get(path, "X-Cashu", good.encode(), "X-Archy-Session", session);
    assertEquals(200, ok.statusCode(), header(ok, "X-Reason"));
    String other = header(n.blossom.get(path), "X-Archy-Session");
    assertRefused(path, other, good.encode(), "redeemed"); // double spend: the same proofs in another session
  }

  private static void assertRefused(String path, String session, String token, String reasonPart) throws Exception {
    long before = n.totals().bytesCredited();
    HttpResponse<byte[]> r = n.blossom.get(path, "X-Cashu", token, "X-Archy-Session", session);
    assertEquals(400, r.statusCode(), header(r, "X-Reason"));
    if (reasonPart != null) {
      assertTrue(header(r, "X-Reason").contains(reasonPart), header(r, "X-Reason"));
    }
    assertEquals(before, n.totals().bytesCredited(), "nothing credited for " + header(r, "X-Reason"));
  }

  @Test
  void concurrentRetriesOfOneTokenCreditOnce() throws Exception {
    PaidNode.Film film = n.film("retries", PaidNode.PRICE, 3_000);
    String path = "/" + film.sha256(1);
    String session = header(n.blossom.get(path), "X-Archy-Session");
    String token = n.mint.token(9).encode();
    long before = n.totals().bytesCredited();
    List<Callable<HttpResponse<byte[]>>> calls = new ArrayList<>();
    for (int i = 0; i < 8; i++) calls.add(() -> n.blossom.get(path, "X-Cashu", token, "X-Archy-Session", session));
    int served = 0;
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (Future<HttpResponse<byte[]>> f : pool.invokeAll(calls)) {
        int status = f.get().statusCode();
        assertTrue(status == 200 || status == 402 || status == 409, "status " + status);
        if (status == 200) served++;
      }
    }
    assertEquals(9_000, n.totals().bytesCredited() - before, "credited once");
    // Each GET reserves its bytes before it is sent: the token pays for three of them, never more.
    assertEquals(3, served);
    awaitBalance(session, film, 0);
  }

  @Test
  void headFreeBlobsFreeScopesAndFreePeersNeverPay() throws Exception {
    PaidNode.Film film = n.film("heads", PaidNode.PRICE, 4_000);
    HttpResponse<byte[]> head = n.blossom.head("/" + film.sha256(1));
    assertEquals(200, head.statusCode());
    assertEquals("4000", header(head, "Content-Length"));

    PaidNode.Film free = n.film("free", null, 4_000);
    HttpResponse<byte[]> r = n.blossom.get("/" + free.sha256(1));
    assertEquals(200, r.statusCode());
    assertTrue(header(r, "Cache-Control").contains("public"));
    byte[] loose = PaidNode.random(1_000);
    assertTrue(n.blossom.upload(archy.nostr.Keys.generate(), loose, null).statusCode() < 300);
    assertEquals(200, n.blossom.get("/" + BlossomCalls.sha256(loose)).statusCode(), "a blob of no film");

    PaidNode.Film gift = n.film("gift", PaidNode.PRICE, 4_000);
    assertEquals(200, n.blossom.get("/b3/" + gift.blake3(1)).statusCode(), "a configured free scope");

    String auth = BlossomCalls.header(BlossomCalls.token(n.peer, "get", List.of()));
    HttpResponse<byte[]> peer = n.blossom.get("/" + film.sha256(1), "Authorization", auth);
    assertEquals(200, peer.statusCode(), header(peer, "X-Reason"));
    assertEquals("private", header(peer, "Cache-Control"));
    String stranger = BlossomCalls.header(BlossomCalls.token(archy.nostr.Keys.generate(), "get", List.of()));
    assertEquals(402, n.blossom.get("/" + film.sha256(1), "Authorization", stranger).statusCode());
  }

  @Test
  void everyPathToAFilmBlobIsGated() throws Exception {
    PaidNode.Film film = n.film("paths", PaidNode.PRICE, 2_000);
    assertEquals(402, n.blossom.get("/" + film.sha256(1)).statusCode());
    assertEquals(402, n.blossom.get("/" + film.sha256(1) + ".ts").statusCode());
    assertEquals(402, n.blossom.get("/b3/" + film.blake3(1)).statusCode());
    assertEquals(402, n.blossom.get("/api/film/" + film.blake3(1)).statusCode());
    assertEquals(402, n.blossom.get("/" + film.sha256(0) + ".m3u8").statusCode(), "the playlist too");
    assertEquals(404, n.blossom.get("/api/film/" + "ab".repeat(32)).statusCode());
  }

  /** The offer tells the real prices (the default, and each film sold at another) and the endpoint's real scheme. */
  @Test
  void theNodePublishesItsOfferWithRealPricesAndScheme() throws Exception {
    String node = n.node.node.keys().publicKeyHex();
    PaidNode.Film cheap = n.film("offer-cheap", 7L, 1_000);
    List<String> filmLine = List.of("price_per_step", "cashu", "7", "sat", n.mint.url(), "1", PaymentGate.CONTENT_DOWNLOAD,
        cheap.coordinate());
    long deadline = System.currentTimeMillis() + 10_000;
    List<List<String>> tags = List.of();
    try (WsClient ws = WsClient.connectSkippingAuth(n.node.wsUrl())) {
      while (!tags.contains(filmLine)) {
        assertTrue(System.currentTimeMillis() < deadline, "no kind 10021 offer with the film's price: " + tags);
        Thread.sleep(100);
        ws.send("[\"REQ\",\"offer\",{\"kinds\":[10021],\"authors\":[\"" + node + "\"]}]");
        com.fasterxml.jackson.databind.JsonNode found = null;
        for (var m = ws.next(); !m.path(0).asText().equals("EOSE"); m = ws.next()) found = m.path(2);
        ws.send("[\"CLOSE\",\"offer\"]");
        if (found != null) {
          List<List<String>> read = new java.util.ArrayList<>();
          found.path("tags").forEach(t -> {
            List<String> tag = new java.util.ArrayList<>();
            t.forEach(v -> tag.add(v.asText()));
            read.add(tag);
          });
          tags = read;
        }
      }
    }
    assertTrue(tags.contains(List.of("price_per_step", "cashu", "1000", "sat", n.mint.url(), "1")), tags.toString());
    assertTrue(tags.contains(List.of("service", PaymentGate.CONTENT_DOWNLOAD)));
    assertTrue(tags.contains(List.of("endpoint", "http", n.url())), "an http URL is not tagged https: " + tags);
  }

  static void awaitBalance(String session, PaidNode.Film film, long expected) throws Exception {
    // onServed runs when the body ended, which may be just after the client read the last byte.
    long deadline = System.currentTimeMillis() + 5_000;
    long balance;
    while ((balance = PaidProbePlugin.gate.balance(session, PaymentGate.CONTENT_DOWNLOAD, film.coordinate())) != expected
        && System.currentTimeMillis() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(expected, balance);
  }

  static String header(HttpResponse<?> r, String name) {
    return r.headers().firstValue(name).orElse("");
  }
}
