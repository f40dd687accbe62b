package archy.plugin;

import static archy.testing.BlossomCalls.header;
import static archy.testing.BlossomCalls.sha256;
import static archy.testing.BlossomCalls.token;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.hash.Blake3;
import archy.nostr.Keys;
import archy.testing.BlossomCalls;
import archy.testing.MutableClock;
import archy.testing.TestNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each Blossom hook and the plugins' blob store, through a real node running {@link BlossomProbePlugin}. */
class BlossomPluginTest {
  @TempDir static Path dir;
  static TestNode node;
  static BlossomCalls calls;
  static final MutableClock clock = new MutableClock(Instant.now());
  static final Keys alice = Keys.generate();

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(dir, "[blossom]\nunowned_retention_days = 2\n[plugins]\nenabled = [\"blossom-probe\"]\n", clock);
    calls = new BlossomCalls(node.httpUrl());
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void rejectUploadCanDenyOrAskForPayment() throws Exception {
    byte[] body = "refused".getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> refused = calls.upload(alice, body, "application/x-probe-refused");
    assertEquals(403, refused.statusCode());
    assertEquals("the probe refuses this type", refused.headers().firstValue("X-Reason").orElseThrow());

    HttpResponse<String> unpaid = calls.upload(alice, body, "application/x-probe-paid");
    assertEquals(402, unpaid.statusCode());
    assertEquals("creqAprobe", unpaid.headers().firstValue("X-Cashu").orElseThrow());
    assertEquals("*", unpaid.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());

    String sha = sha256(body);
    HttpResponse<String> paidUp = calls.sendText(calls.request("/upload").PUT(HttpRequest.BodyPublishers.ofByteArray(body))
        .header("Authorization", header(token(alice, "upload", List.of(List.of("x", sha)))))
        .header("Content-Type", "application/x-probe-paid").header("X-Cashu", "cashuBsomething"));
    assertEquals(201, paidUp.statusCode());
    BlobUpload seen = BlossomProbePlugin.uploads.get(BlossomProbePlugin.uploads.size() - 1);
    assertEquals(alice.publicKeyHex(), seen.pubkey());
    assertEquals(body.length, seen.size());
    assertEquals(24242, seen.auth().kind());

    HttpResponse<byte[]> preflight = calls.head("/upload", "Authorization", header(token(alice, "upload", List.of())),
        "X-Content-Length", "5", "X-Content-Type", "application/x-probe-paid");
    assertEquals(402, preflight.statusCode());
    assertTrue(BlossomProbePlugin.uploads.get(BlossomProbePlugin.uploads.size() - 1).preflight());
  }

  @Test
  void rejectGetPaymentFlowAndMetering() throws Exception {
    byte[] body = "a paid film segment".repeat(50).getBytes(StandardCharsets.UTF_8);
    String sha = sha256(body);
    assertEquals(201, calls.upload(alice, body, "video/mp2t").statusCode());
    BlossomProbePlugin.paid.add(sha);

    HttpResponse<byte[]> unpaid = calls.get("/" + sha, "Range", "bytes=0-99");
    assertEquals(402, unpaid.statusCode());
    assertEquals("creqAprobe100", unpaid.headers().firstValue("X-Cashu").orElseThrow(), "the policy sees the range");
    assertEquals("no-store", unpaid.headers().firstValue("Cache-Control").orElseThrow());
    assertTrue(unpaid.headers().firstValue("Access-Control-Expose-Headers").orElseThrow().contains("X-Cashu"));

    assertEquals(400, calls.get("/" + sha, "X-Cashu", "cashuBbad").statusCode());
    HttpResponse<byte[]> paidGet = calls.get("/" + sha, "X-Cashu", "cashuBgood", "Range", "bytes=0-99");
    assertEquals(206, paidGet.statusCode());
    assertEquals("private", paidGet.headers().firstValue("Cache-Control").orElseThrow());
    assertEquals(402, calls.get("/b3/" + Blake3.hex(body)).statusCode(), "the BLAKE3 address is gated too");

    long deadline = System.currentTimeMillis() + 5000;
    while (!BlossomProbePlugin.served.contains(sha + ":100") && System.currentTimeMillis() < deadline) Thread.sleep(20);
    assertTrue(BlossomProbePlugin.served.contains(sha + ":100"), BlossomProbePlugin.served.toString());
    assertTrue(BlossomProbePlugin.served.contains("paid:100"), "the allow's own onServed callback metered the body");
  }

  @Test
  void onBlobMissingFetchesThroughAndVerifies() throws Exception {
    byte[] body = "fetched through a plugin".getBytes(StandardCharsets.UTF_8);
    String sha = sha256(body);
    BlossomProbePlugin.sources.put(sha, body);
    HttpResponse<byte[]> r = calls.get("/" + sha + ".txt");
    assertEquals(200, r.statusCode());
    assertArrayEquals(body, r.body());
    assertEquals("text/plain", r.headers().firstValue("Content-Type").orElseThrow());
    BlossomProbePlugin.sources.remove(sha);
    assertEquals(200, calls.get("/" + sha).statusCode(), "kept after the fetch");

    byte[] other = "by blake3".getBytes(StandardCharsets.UTF_8);
    BlossomProbePlugin.sources.put(Blake3.hex(other), other);
    assertArrayEquals(other, calls.get("/b3/" + Blake3.hex(other)).body());

    String lie = "ab".repeat(32);
    BlossomProbePlugin.sources.put(lie, "not those bytes".getBytes(StandardCharsets.UTF_8));
    HttpResponse<byte[]> wrong = calls.get("/" + lie);
    assertEquals(502, wrong.statusCode());
    BlossomProbePlugin.sources.remove(lie);
    assertEquals(404, calls.get("/" + lie).statusCode(), "nothing kept from a source whose bytes do not match");
  }

  @Test
  void pluginsStoreAndReadBlobsAndUnownedOnesExpire() throws Exception {
    byte[] body = "stored by a plugin".getBytes(StandardCharsets.UTF_8);
    String sha = sha256(body);
    HttpResponse<String> stored = calls.sendText(calls.request("/api/blossom-probe/store?sha256=" + sha)
        .PUT(HttpRequest.BodyPublishers.ofByteArray(body)));
    assertEquals("stored " + sha + " true", stored.body());
    HttpResponse<String> bad = calls.sendText(calls.request("/api/blossom-probe/store?sha256=" + "cd".repeat(32))
        .PUT(HttpRequest.BodyPublishers.ofByteArray(body)));
    assertTrue(bad.body().startsWith("refused"), bad.body());
    assertEquals("by a", calls.sendText(calls.request("/api/blossom-probe/read/" + sha + "?offset=7&length=4").GET())
        .body());
    assertArrayEquals(body, calls.get("/" + sha).body());

    byte[] owned = "owned by alice".getBytes(StandardCharsets.UTF_8);
    assertEquals(201, calls.upload(alice, owned, "text/plain").statusCode());
    clock.advance(Duration.ofDays(3));
    assertTrue(node.node.blossom().prune() >= 1);
    clock.advance(Duration.ofDays(-3));
    assertEquals(404, calls.get("/" + sha).statusCode(), "an unowned blob expires");
    assertEquals(200, calls.get("/" + sha256(owned)).statusCode(), "an owned blob stays");
  }
}
