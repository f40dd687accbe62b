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
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BUD-04 between real nodes on loopback: a node allowed to reach private addresses mirrors from another;
 * a node with the default SSRF guard refuses the same URL.
 */
class BlossomMirrorTest {
  @TempDir static Path dir;
  static TestNode origin;
  static TestNode mirror;
  static TestNode guarded;
  static final Keys alice = Keys.generate();
  static byte[] body = new byte[300_000];
  static String sha;

  @BeforeAll
  static void start() throws Exception {
    origin = TestNode.start(dir.resolve("origin"), "");
    mirror = TestNode.start(dir.resolve("mirror"), "[blossom]\nmirror_allow_private = true\nmax_upload_bytes = 200000000\n");
    guarded = TestNode.start(dir.resolve("guarded"), "");
    new Random(7).nextBytes(body);
    sha = sha256(body);
    assertEquals(201, new BlossomCalls(origin.httpUrl()).upload(alice, body, "video/mp4").statusCode());
  }

  @AfterAll
  static void stop() {
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
