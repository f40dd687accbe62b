package archy.blossom;

import static archy.testing.BlossomCalls.header;
import static archy.testing.BlossomCalls.sha256;
import static archy.testing.BlossomCalls.token;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.nostr.Keys;
import archy.testing.BlossomCalls;
import archy.testing.TestNode;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * BUD-04 between real nodes on loopback: a node allowed to reach private addresses mirrors from another;
 * a node with the default SSRF guard refuses the same URL. The mirroring node keeps its bytes in files here;
 * {@link BlossomMirrorS3Test} runs the same tests with them in an S3 bucket.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS) // start() and stop() are overridden by BlossomMirrorS3Test
class BlossomMirrorTest {
  @TempDir static Path dir;
  static TestNode origin;
  static TestNode mirror;
  static TestNode guarded;
  static final Keys alice = Keys.generate();
  static byte[] body = new byte[300_000];
  static String sha;

  @BeforeAll
  void start() throws Exception {
    startNodes("");
  }

  /** Starts the nodes, the mirroring one with these extra {@code [blossom]} keys (where its bytes go). */
  static void startNodes(String mirrorStoreKeys) throws Exception {
    origin = TestNode.start(dir.resolve("origin"), "");
    mirror = TestNode.start(dir.resolve("mirror"),
        "[blossom]\nmirror_allow_private = true\nmax_upload_bytes = 200000000\n" + mirrorStoreKeys);
    guarded = TestNode.start(dir.resolve("guarded"), "");
    new Random(7).nextBytes(body);
    sha = sha256(body);
    assertEquals(201, new BlossomCalls(origin.httpUrl()).upload(alice, body, "video/mp4").statusCode());
  }

  /** The staging objects or files the mirroring node holds: none once an upload is committed or refused. */
  long mirrorStaging() throws Exception {
    try (var files = Files.walk(dir.resolve("mirror"))) {
      return files.filter(p -> p.getFileName().toString().endsWith(".part")).count();
    }
  }

  /** Whether the mirroring node's store holds bytes under this sha256. */
  boolean mirrorHolds(String sha256) {
    return Files.exists(dir.resolve("mirror/blobs").resolve(sha256.substring(0, 2)).resolve(sha256.substring(2, 4))
        .resolve(sha256));
  }

  @AfterAll
  void stop() throws Exception {
    guarded.close();
    mirror.close();
    origin.close();
  }

  static HttpResponse<String> mirror(TestNode node, String url, List<List<String>> tags) throws Exception {
    BlossomCalls calls = new BlossomCalls(node.httpUrl());
    return calls.sendText(calls.request("/mirror").PUT(HttpRequest.BodyPublishers.ofString("{\"url\":\"" + url + "\"}"))
        .header("Authorization", header(token(alice, "upload", tags))));
  }

  @Test
  void mirrorsFromAnotherNodeAndChecksTheHash() throws Exception {
    String url = origin.httpUrl() + "/" + sha + ".mp4";
    HttpResponse<String> r = mirror(mirror, url, List.of(List.of("x", sha)));
    assertEquals(201, r.statusCode(), r.body() + r.headers().firstValue("X-Reason"));
    JsonNode d = new ObjectMapper().readTree(r.body());
    assertEquals(sha, d.path("sha256").asText());
    assertEquals("video/mp4", d.path("type").asText());
    assertEquals(mirror.httpUrl() + "/" + sha + ".mp4", d.path("url").asText());
    assertArrayEquals(body, new BlossomCalls(mirror.httpUrl()).get("/" + sha).body());
    assertEquals(200, mirror(mirror, url, List.of(List.of("x", sha))).statusCode(), "already held");

    HttpResponse<String> wrongHash = mirror(mirror, url, List.of(List.of("x", "ef".repeat(32))));
    assertEquals(409, wrongHash.statusCode());
    assertTrue(wrongHash.headers().firstValue("X-Reason").isPresent());
  }

  /** A blob of several upload parts (multipart on S3): stored whole, served by ranges across a part boundary. */
  @Test
  void mirrorsABlobLargerThanOnePart() throws Exception {
    byte[] large = new byte[S3Storage.PART * 2 + 12_345];
    new Random(8).nextBytes(large);
    String largeSha = sha256(large);
    assertEquals(201, new BlossomCalls(origin.httpUrl()).upload(alice, large, "video/mp4").statusCode());
    String url = origin.httpUrl() + "/" + largeSha;

    HttpResponse<String> refused = mirror(mirror, url, List.of(List.of("x", "ef".repeat(32))));
    assertEquals(409, refused.statusCode());
    assertEquals(0, mirrorStaging(), "a refused mirror leaves no staged bytes");
    assertEquals(404, new BlossomCalls(mirror.httpUrl()).get("/" + largeSha).statusCode());

    assertEquals(201, mirror(mirror, url, List.of(List.of("x", largeSha))).statusCode());
    assertEquals(0, mirrorStaging(), "the staged bytes are gone once committed");
    assertTrue(mirrorHolds(largeSha), "stored under its hash");
    BlossomCalls calls = new BlossomCalls(mirror.httpUrl());
    assertArrayEquals(large, calls.get("/" + largeSha).body());
    long first = S3Storage.PART - 100;
    HttpResponse<byte[]> range = calls.get("/b3/" + archy.hash.Blake3.hex(large), "Range",
        "bytes=" + first + "-" + (first + 199));
    assertEquals(206, range.statusCode());
    assertArrayEquals(Arrays.copyOfRange(large, (int) first, (int) first + 200), range.body());
    assertEquals(String.valueOf(large.length), calls.head("/" + largeSha).headers().firstValue("Content-Length")
        .orElseThrow(), "HEAD tells the indexed size");
  }

  @Test
  void mirrorErrors() throws Exception {
    assertEquals(502, mirror(mirror, origin.httpUrl() + "/" + "99".repeat(32), List.of()).statusCode());
    assertEquals(502, mirror(mirror, "http://127.0.0.1:" + TestNode.freePort() + "/x", List.of()).statusCode());
    assertEquals(400, mirror(mirror, "ftp://example.com/x", List.of()).statusCode());
    BlossomCalls calls = new BlossomCalls(mirror.httpUrl());
    assertEquals(400, calls.sendText(calls.request("/mirror").PUT(HttpRequest.BodyPublishers.ofString("not json"))
        .header("Authorization", header(token(alice, "upload", List.of())))).statusCode());
    HttpResponse<String> noAuth = calls.sendText(calls.request("/mirror")
        .PUT(HttpRequest.BodyPublishers.ofString("{\"url\":\"" + origin.httpUrl() + "/" + sha + "\"}")));
    assertEquals(401, noAuth.statusCode());
  }

  @Test
  void theSsrfGuardRefusesLoopbackAndPrivateTargets() throws Exception {
    for (String url : List.of(origin.httpUrl() + "/" + sha, "http://localhost:" + origin.port + "/" + sha,
        "http://[::1]:" + origin.port + "/" + sha, "http://10.0.0.1/" + sha, "http://169.254.169.254/latest")) {
      HttpResponse<String> r = mirror(guarded, url, List.of(List.of("x", sha)));
      assertEquals(403, r.statusCode(), url + " " + r.headers().firstValue("X-Reason"));
      assertEquals("*", r.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
    }
    assertEquals(404, new BlossomCalls(guarded.httpUrl()).get("/" + sha).statusCode());
  }

  @Test
  void addressClassification() throws Exception {
    for (String a : List.of("127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1",
        "0.0.0.0", "::1", "fe80::1", "fd00::1", "::ffff:127.0.0.1", "224.0.0.1", "255.255.255.255")) {
      assertTrue(!archy.http.PublicAddresses.isPublic(InetAddress.getByName(a)), a);
    }
    for (String a : List.of("93.184.216.34", "1.1.1.1", "2606:4700:4700::1111")) {
      assertTrue(archy.http.PublicAddresses.isPublic(InetAddress.getByName(a)), a);
    }
  }
}
