package archy.blossom;

import static archy.testing.BlossomCalls.header;
import static archy.testing.BlossomCalls.sha256;
import static archy.testing.BlossomCalls.token;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.hash.Blake3;
import archy.nostr.Event;
import archy.nostr.EventSigner;
import archy.nostr.Keys;
import archy.testing.BlossomCalls;
import archy.testing.TestNode;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every BUD endpoint of a real node over real HTTP, on a real SQLite file: the happy paths and each error. The
 * blob bytes are files here; {@link BlossomS3Test} runs the same suite with them in an S3 bucket.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS) // start() and stop() are overridden by BlossomS3Test
class BlossomServerTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dir;
  static TestNode node;
  static BlossomCalls calls;
  static final Keys alice = Keys.generate();
  static final Keys bob = Keys.generate();

  /** Whether the store still holds bytes under this sha256 (a file here, an object in BlossomS3Test). */
  static Predicate<String> bytesStored;

  @BeforeAll
  void start() throws Exception {
    startNode("");
    bytesStored = sha -> Files.exists(dir.resolve("blobs").resolve(sha.substring(0, 2)).resolve(sha.substring(2, 4))
        .resolve(sha));
  }

  /** Starts the node under test with these extra {@code [blossom]} keys (where the bytes go). */
  static void startNode(String storeKeys) throws Exception {
    node = TestNode.start(dir, """
        [blossom]
        max_upload_bytes = 1048576
        allowed_types = ["image/*", "text/*", "video/*", "application/octet-stream", "application/vnd.apple.mpegurl"]
        """ + storeKeys);
    calls = new BlossomCalls(node.httpUrl());
  }

  @AfterAll
  void stop() throws Exception {
    node.close();
  }

  static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  static void assertCors(HttpResponse<?> r) {
    assertEquals("*", r.headers().firstValue("Access-Control-Allow-Origin").orElse(null), "CORS on " + r);
    assertTrue(r.headers().firstValue("Access-Control-Expose-Headers").orElse("").contains("X-Reason"));
  }

  static void assertError(HttpResponse<?> r, int status) {
    assertEquals(status, r.statusCode(), () -> "got " + r.statusCode() + " " + r.headers().firstValue("X-Reason"));
    assertTrue(r.headers().firstValue("X-Reason").isPresent(), "X-Reason on " + status);
    assertCors(r);
  }

  @Test
  void uploadThenGetAndHead() throws Exception {
    byte[] body = random(200_000, 1);
    String sha = sha256(body);
    HttpResponse<String> up = calls.upload(alice, body, "image/png");
    assertEquals(201, up.statusCode(), up.body());
    assertCors(up);
    JsonNode d = JSON.readTree(up.body());
    assertEquals(node.httpUrl() + "/" + sha + ".png", d.path("url").asText());
    assertEquals(sha, d.path("sha256").asText());
    assertEquals(body.length, d.path("size").asLong());
    assertEquals("image/png", d.path("type").asText());
    assertTrue(Math.abs(d.path("uploaded").asLong() - BlossomCalls.now()) < 10);
    assertEquals(Blake3.hex(body), d.path("blake3").asText());
    assertEquals("[[\"url\",\"" + d.path("url").asText() + "\"],[\"m\",\"image/png\"],[\"x\",\"" + sha
        + "\"],[\"size\",\"200000\"]]", d.path("nip94").toString());

    HttpResponse<byte[]> get = calls.get("/" + sha);
    assertEquals(200, get.statusCode());
    assertArrayEquals(body, get.body());
    assertEquals("image/png", get.headers().firstValue("Content-Type").orElseThrow());
    assertEquals("\"" + sha + "\"", get.headers().firstValue("ETag").orElseThrow());
    assertEquals("bytes", get.headers().firstValue("Accept-Ranges").orElseThrow());
    assertTrue(get.headers().firstValue("Cache-Control").orElseThrow().contains("immutable"));
    assertCors(get);

    assertEquals(200, calls.get("/" + sha + ".pdf").statusCode(), "any extension is accepted");
    assertEquals("image/png", calls.get("/" + sha + ".pdf").headers().firstValue("Content-Type").orElseThrow());
    assertArrayEquals(body, calls.get("/" + sha.toUpperCase()).body());

    HttpResponse<byte[]> head = calls.head("/" + sha + ".png");
    assertEquals(200, head.statusCode());
    assertEquals("200000", head.headers().firstValue("Content-Length").orElseThrow());
    assertEquals("image/png", head.headers().firstValue("Content-Type").orElseThrow());
    assertEquals(0, head.body().length);

    HttpResponse<byte[]> b3 = calls.get("/b3/" + d.path("blake3").asText());
    assertEquals(200, b3.statusCode());
    assertArrayEquals(body, b3.body());

    HttpResponse<String> again = calls.upload(alice, body, "image/png");
    assertEquals(200, again.statusCode(), "an existing blob is 200");

    String metrics = new String(calls.get("/metrics").body(), java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(metrics.contains("archy_blossom_blobs_stored_total"), metrics);
    assertTrue(metrics.lines().anyMatch(l -> l.startsWith("archy_blossom_served_bytes_total")
        && Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)) >= 5 * 200_000), "served bytes are counted");
  }

  @Test
  void ranges() throws Exception {
    byte[] body = random(1000, 2);
    String sha = sha256(body);
    assertEquals(201, calls.upload(alice, body, "video/mp4").statusCode());
    String blake3 = Blake3.hex(body);
    for (String path : List.of("/" + sha, "/" + sha + ".mp4", "/b3/" + blake3)) {
      HttpResponse<byte[]> single = calls.get(path, "Range", "bytes=10-19");
      assertEquals(206, single.statusCode());
      assertArrayEquals(Arrays.copyOfRange(body, 10, 20), single.body());
      assertEquals("bytes 10-19/1000", single.headers().firstValue("Content-Range").orElseThrow());
      assertEquals("10", single.headers().firstValue("Content-Length").orElseThrow());
      assertCors(single);

      HttpResponse<byte[]> suffix = calls.get(path, "Range", "bytes=-100");
      assertEquals(206, suffix.statusCode());
      assertArrayEquals(Arrays.copyOfRange(body, 900, 1000), suffix.body());
      assertEquals("bytes 900-999/1000", suffix.headers().firstValue("Content-Range").orElseThrow());

      HttpResponse<byte[]> open = calls.get(path, "Range", "bytes=990-");
      assertEquals(206, open.statusCode());
      assertArrayEquals(Arrays.copyOfRange(body, 990, 1000), open.body());

      HttpResponse<byte[]> clamped = calls.get(path, "Range", "bytes=500-5000");
      assertEquals(206, clamped.statusCode());
      assertEquals("bytes 500-999/1000", clamped.headers().firstValue("Content-Range").orElseThrow());
      assertArrayEquals(Arrays.copyOfRange(body, 500, 1000), clamped.body());

      HttpResponse<byte[]> bigSuffix = calls.get(path, "Range", "bytes=-5000");
      assertEquals(206, bigSuffix.statusCode());
      assertArrayEquals(body, bigSuffix.body());

      HttpResponse<byte[]> beyond = calls.get(path, "Range", "bytes=1000-");
      assertError(beyond, 416);
      assertEquals("bytes */1000", beyond.headers().firstValue("Content-Range").orElseThrow());

      HttpResponse<byte[]> several = calls.get(path, "Range", "bytes=0-1,5-9");
      assertEquals(200, several.statusCode());
      assertArrayEquals(body, several.body());

      HttpResponse<byte[]> otherUnit = calls.get(path, "Range", "items=0-1");
      assertEquals(200, otherUnit.statusCode());

      HttpResponse<byte[]> staleIfRange = calls.get(path, "Range", "bytes=0-9", "If-Range", "\"other\"");
      assertEquals(200, staleIfRange.statusCode());
      HttpResponse<byte[]> freshIfRange = calls.get(path, "Range", "bytes=0-9", "If-Range", "\"" + sha + "\"");
      assertEquals(206, freshIfRange.statusCode());
    }
  }

  @Test
  void notModifiedCarriesCorsAndEtag() throws Exception {
    byte[] body = "cache me".getBytes(StandardCharsets.UTF_8);
    String sha = sha256(body);
    calls.upload(alice, body, "text/plain");
    HttpResponse<byte[]> r = calls.get("/" + sha, "If-None-Match", "\"" + sha + "\"");
    assertEquals(304, r.statusCode());
    assertEquals("\"" + sha + "\"", r.headers().firstValue("ETag").orElseThrow());
    assertCors(r);
    assertEquals(200, calls.get("/" + sha, "If-None-Match", "\"nope\"").statusCode());
  }

  @Test
  void missingMalformedAndUnknownPaths() throws Exception {
    assertError(calls.get("/" + "ab".repeat(32)), 404);
    assertError(calls.head("/" + "ab".repeat(32)), 404);
    assertError(calls.get("/b3/" + "ab".repeat(32)), 404);
    assertError(calls.get("/" + "ab".repeat(32) + "/x"), 400);
    assertError(calls.get("/favicon.ico"), 404);
    assertError(calls.send(calls.request("/upload").GET()), 405);
  }

  @Test
  void optionsPreflight() throws Exception {
    HttpResponse<byte[]> r = calls.send(calls.request("/upload").method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .header("Origin", "https://client.example").header("Access-Control-Request-Method", "PUT"));
    assertEquals(204, r.statusCode());
    assertEquals("*", r.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
    String methods = r.headers().firstValue("Access-Control-Allow-Methods").orElseThrow();
    for (String m : List.of("GET", "HEAD", "PUT", "DELETE")) assertTrue(methods.contains(m), methods);
    assertTrue(r.headers().firstValue("Access-Control-Allow-Headers").orElseThrow().startsWith("Authorization"));
    String exposed = r.headers().firstValue("Access-Control-Expose-Headers").orElseThrow();
    for (String h : List.of("X-Reason", "X-Cashu", "Content-Range", "Content-Length", "Accept-Ranges", "ETag")) {
      assertTrue(exposed.contains(h), exposed);
    }
  }

  @Test
  void hlsPlaylistsAndTransportStreamsAreSniffedFromOctetStream() throws Exception {
    byte[] playlist = "#EXTM3U\n#EXT-X-VERSION:3\n#EXTINF:4.0,\nabc.ts\n#EXT-X-ENDLIST\n".getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> up = calls.upload(alice, playlist, "application/octet-stream");
    assertEquals("application/vnd.apple.mpegurl", JSON.readTree(up.body()).path("type").asText());
    assertTrue(JSON.readTree(up.body()).path("url").asText().endsWith(".m3u8"));
    assertEquals("application/vnd.apple.mpegurl",
        calls.get("/" + sha256(playlist)).headers().firstValue("Content-Type").orElseThrow());

    byte[] ts = random(188 * 4, 3);
    for (int i = 0; i < ts.length; i += 188) ts[i] = 0x47;
    HttpResponse<String> tsUp = calls.upload(alice, ts, null);
    assertEquals("video/mp2t", JSON.readTree(tsUp.body()).path("type").asText());
  }

  @Test
  void uploadErrors() throws Exception {
    byte[] body = random(1000, 4);
    String sha = sha256(body);
    HttpRequest.Builder noAuth = calls.request("/upload").PUT(HttpRequest.BodyPublishers.ofByteArray(body));
    assertError(calls.sendText(noAuth), 401);

    HttpRequest.Builder mismatch = calls.request("/upload").PUT(HttpRequest.BodyPublishers.ofByteArray(body))
        .header("Authorization", header(token(alice, "upload", List.of())))
        .header("X-SHA-256", "00".repeat(32));
    assertError(calls.sendText(mismatch), 409);
    assertError(calls.get("/" + sha), 404);

    // 100-continue: the refusal comes before the body, and without it the client may still be writing its
    // chunks when the server answers and closes (a broken pipe instead of the 411).
    HttpRequest.Builder chunked = calls.request("/upload").expectContinue(true)
        .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
        .header("Authorization", header(token(alice, "upload", List.of())));
    assertError(calls.sendText(chunked), 411);

    // Refused before the body is read: a client that does not wait for "100 Continue" may see the
    // connection reset under its unsent bytes, as with any server that refuses early.
    byte[] big = random(1048577, 5);
    assertError(calls.sendText(calls.request("/upload").expectContinue(true)
        .PUT(HttpRequest.BodyPublishers.ofByteArray(big))
        .header("Authorization", header(token(alice, "upload", List.of())))), 413);
    assertError(calls.upload(alice, body, "application/x-forbidden"), 415);
    assertError(calls.upload(alice, body, "application/x-forbidden; charset=binary"), 415);

    HttpRequest.Builder badHash = calls.request("/upload").PUT(HttpRequest.BodyPublishers.ofByteArray(body))
        .header("Authorization", header(token(alice, "upload", List.of()))).header("X-SHA-256", "xyz");
    assertError(calls.sendText(badHash), 400);

    // A token scoped to another hash cannot carry these bytes, with or without X-SHA-256.
    HttpRequest.Builder otherScope = calls.request("/upload").PUT(HttpRequest.BodyPublishers.ofByteArray(body))
        .header("Authorization", header(token(alice, "upload", List.of(List.of("x", "11".repeat(32))))));
    assertError(calls.sendText(otherScope), 403);
    assertError(calls.get("/" + sha), 404);
  }

  @Test
  void uploadPreflight() throws Exception {
    String sha = "12".repeat(32);
    String auth = header(token(alice, "upload", List.of(List.of("x", sha))));
    String[] ok = {"Authorization", auth, "X-SHA-256", sha, "X-Content-Length", "100", "X-Content-Type", "image/png"};
    assertEquals(200, calls.head("/upload", ok).statusCode());
    assertCors(calls.head("/upload", ok));
    assertError(calls.head("/upload", "X-SHA-256", sha, "X-Content-Length", "100"), 401);
    assertError(calls.head("/upload", "Authorization", auth, "X-SHA-256", sha), 411);
    assertError(calls.head("/upload", "Authorization", auth, "X-SHA-256", sha, "X-Content-Length", "2000000"), 413);
    assertError(calls.head("/upload", "Authorization", auth, "X-SHA-256", sha, "X-Content-Length", "1",
        "X-Content-Type", "application/x-forbidden"), 415);
    assertError(calls.head("/upload", "Authorization", auth, "X-SHA-256", "zz", "X-Content-Length", "1"), 400);
    assertError(calls.head("/upload", "Authorization", auth, "X-SHA-256", "34".repeat(32), "X-Content-Length", "1"),
        403);
  }

  @Test
  void authorizationLeniencyAndStatusMapping() throws Exception {
    byte[] body = "auth cases".getBytes(StandardCharsets.UTF_8);
    String sha = sha256(body);
    long now = BlossomCalls.now();
    List<List<String>> x = List.of(List.of("x", sha));
    // Standard padded base64, the full URL as server tag, a created_at slightly ahead: all accepted.
    String std = BlossomCalls.standardBase64Header(token(alice, "upload",
        List.of(List.of("x", sha), List.of("server", node.httpUrl() + "/")), now + 30, now + 600));
    assertEquals(201, put(body, std).statusCode());
    assertEquals(200, put(body, header(token(alice, "upload", List.of(List.of("server", "127.0.0.1"))))).statusCode());

    assertError(put(body, header(token(alice, "upload", List.of(List.of("server", "cdn.example.com"))))), 401);
    assertError(put(body, header(token(alice, "upload", x, now - 100, now - 70))), 401);
    assertError(put(body, header(token(alice, "upload", x, now + 600, now + 1200))), 401);
    assertError(put(body, header(token(alice, "delete", x))), 403);
    assertError(put(body, "Nostr !!!notbase64"), 400);
    assertError(put(body, "Nostr " + Base64.getEncoder().encodeToString("{\"kind\":1}".getBytes())), 400);
    assertError(put(body, header(EventSigner.sign(alice, now, 1, List.of(List.of("t", "upload"),
        List.of("expiration", Long.toString(now + 60))), ""))), 400);
    assertError(put(body, header(EventSigner.sign(alice, now, 24242, List.of(List.of("t", "upload")),
        ""))), 400);
    assertError(put(body, "Bearer abc"), 401);
  }

  private static HttpResponse<String> put(byte[] body, String authorization) throws Exception {
    return calls.sendText(calls.request("/upload").PUT(HttpRequest.BodyPublishers.ofByteArray(body))
        .header("Authorization", authorization).header("Content-Type", "text/plain"));
  }

  @Test
  void listPagesWithCursorAndDeleteRemovesClaims() throws Exception {
    Keys carol = Keys.generate();
    Keys dave = Keys.generate();
    List<String> hashes = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      byte[] body = ("carol blob " + i).getBytes(StandardCharsets.UTF_8);
      assertEquals(201, calls.upload(carol, body, "text/plain").statusCode());
      hashes.add(sha256(body));
    }
    byte[] shared = "shared blob".getBytes(StandardCharsets.UTF_8);
    String sharedSha = sha256(shared);
    assertEquals(201, calls.upload(carol, shared, "text/plain").statusCode());
    assertEquals(200, calls.upload(dave, shared, "text/plain").statusCode());
    assertTrue(bytesStored.test(sharedSha), "the bytes are in the store");

    HttpResponse<String> all = calls.sendText(calls.request("/list/" + carol.publicKeyHex()).GET());
    assertEquals(200, all.statusCode());
    assertCors(all);
    JsonNode list = JSON.readTree(all.body());
    assertEquals(6, list.size());
    Set<String> seen = new HashSet<>();
    String cursor = null;
    for (int page = 0; page < 3; page++) {
      String q = "/list/" + carol.publicKeyHex() + "?limit=2" + (cursor == null ? "" : "&cursor=" + cursor);
      JsonNode p = JSON.readTree(calls.sendText(calls.request(q).GET()).body());
      assertEquals(2, p.size());
      for (JsonNode d : p) {
        assertTrue(seen.add(d.path("sha256").asText()), "pages overlap");
        assertTrue(d.path("url").asText().endsWith(".txt"));
      }
      long prev = Long.MAX_VALUE;
      for (JsonNode d : p) {
        assertTrue(d.path("uploaded").asLong() <= prev);
        prev = d.path("uploaded").asLong();
      }
      cursor = p.get(1).path("sha256").asText();
    }
    assertEquals(0, JSON.readTree(calls.sendText(calls.request("/list/" + carol.publicKeyHex() + "?cursor=" + cursor)
        .GET()).body()).size());
    assertTrue(seen.containsAll(hashes) && seen.contains(sharedSha));
    assertEquals(200, calls.sendText(calls.request("/list/" + carol.npub()).GET()).statusCode());
    assertError(calls.sendText(calls.request("/list/nothex").GET()), 400);
    assertError(calls.sendText(calls.request("/list/" + carol.publicKeyHex() + "?limit=-1").GET()), 400);

    assertError(calls.delete(bob, sharedSha), 404);
    assertError(calls.sendText(calls.request("/" + sharedSha).DELETE()), 401);
    assertError(calls.sendText(calls.request("/" + sharedSha).DELETE().header("Authorization",
        header(token(carol, "delete", List.of(List.of("x", hashes.get(0))))))), 403);
    HttpResponse<String> first = calls.delete(carol, sharedSha);
    assertEquals(200, first.statusCode(), first.body());
    assertTrue(first.body().contains("\"bytes_removed\":false"));
    assertEquals(200, calls.get("/" + sharedSha).statusCode(), "dave still owns it");
    assertEquals(5, JSON.readTree(calls.sendText(calls.request("/list/" + carol.publicKeyHex()).GET()).body()).size());
    HttpResponse<String> last = calls.delete(dave, sharedSha);
    assertTrue(last.body().contains("\"bytes_removed\":true"));
    assertError(calls.get("/" + sharedSha), 404);
    assertFalse(bytesStored.test(sharedSha), "bytes removed from the store");
    assertError(calls.delete(dave, sharedSha), 404);
  }

  @Test
  void reportsAreStored() throws Exception {
    long now = BlossomCalls.now();
    String sha = "56".repeat(32);
    Event report = EventSigner.sign(bob, now, 1984,
        List.of(List.of("x", sha, "illegal"), List.of("p", alice.publicKeyHex())), "this is bad");
    HttpResponse<String> r = calls.sendText(calls.request("/report").PUT(HttpRequest.BodyPublishers.ofString(report.json())));
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("{\"reported\":1,\"new\":1}", r.body());
    HttpResponse<String> again = calls.sendText(calls.request("/report").PUT(HttpRequest.BodyPublishers.ofString(report.json())));
    assertEquals("{\"reported\":1,\"new\":0}", again.body());
    Event noX = EventSigner.sign(bob, now, 1984, List.of(), "no hash");
    assertError(calls.sendText(calls.request("/report").PUT(HttpRequest.BodyPublishers.ofString(noX.json()))), 400);
    assertError(calls.sendText(calls.request("/report").PUT(HttpRequest.BodyPublishers.ofString("{}"))), 400);
  }

  @Test
  void landingPageMentionsBlossomAndRootStaysTheRelay() throws Exception {
    HttpResponse<String> r = calls.sendText(calls.request("/").GET());
    assertEquals(200, r.statusCode());
    assertTrue(r.body().contains("Blossom"), r.body());
    assertTrue(calls.sendText(calls.request("/").header("Accept", "application/nostr+json").GET()).body()
        .contains("supported_nips"));
  }
}
