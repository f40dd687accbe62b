package archy.blossom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.nostr.Keys;
import archy.testing.BlossomCalls;
import archy.testing.TestNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Upload allow-list, per-key quota, owner-only listing, and a node with Blossom switched off. */
class BlossomPolicyTest {
  @TempDir Path dir;
  final Keys alice = Keys.generate();
  final Keys bob = Keys.generate();

  @Test
  void allowlistAndQuota() throws Exception {
    try (TestNode node = TestNode.start(dir, """
        [blossom]
        upload = "allowlist"
        upload_allowlist = ["%s"]
        quota_bytes = 1000
        list = "owner"
        """.formatted(alice.npub()))) {
      BlossomCalls calls = new BlossomCalls(node.httpUrl());
      assertEquals(403, calls.upload(bob, new byte[10], "text/plain").statusCode());
      assertEquals(201, calls.upload(alice, new byte[600], "text/plain").statusCode());
      assertEquals(200, calls.upload(alice, new byte[600], "text/plain").statusCode(), "owning it again is free");
      assertEquals(429, calls.upload(alice, new byte[500], "text/plain").statusCode());
      assertEquals(201, calls.upload(alice, new byte[400], "text/plain").statusCode());

      String list = "/list/" + alice.publicKeyHex();
      assertEquals(401, calls.sendText(calls.request(list).GET()).statusCode());
      assertEquals(403, calls.sendText(calls.request(list).GET().header("Authorization",
          BlossomCalls.header(BlossomCalls.token(bob, "list", java.util.List.of())))).statusCode());
      assertEquals(200, calls.sendText(calls.request(list).GET().header("Authorization",
          BlossomCalls.header(BlossomCalls.token(alice, "list", java.util.List.of())))).statusCode());
    }
  }

  @Test
  void quotasHaveADefaultAndPerKeyOverrides() throws Exception {
    Keys publisher = Keys.generate();
    Keys trusted = Keys.generate();
    try (TestNode node = TestNode.start(dir, """
        [blossom]
        max_upload_bytes = 1099511627776
        [blossom.quota_bytes_by_key]
        "%s" = 1000
        "%s" = 0
        """.formatted(publisher.npub(), trusted.publicKeyHex()))) {
      BlossomCalls calls = new BlossomCalls(node.httpUrl());
      // By default a key may own 10 GiB (BUD-06 preflight: nothing is sent).
      assertEquals(200, preflight(calls, alice, 10L << 30));
      assertEquals(429, preflight(calls, alice, (10L << 30) + 1));
      assertEquals(429, preflight(calls, publisher, 1001), "its own, smaller quota");
      assertEquals(201, calls.upload(publisher, new byte[1000], "text/plain").statusCode());
      assertEquals(429, calls.upload(publisher, new byte[1], "text/plain").statusCode());
      assertEquals(200, preflight(calls, trusted, 100L << 30), "0 exempts the key");
    }
  }

  private static int preflight(BlossomCalls calls, Keys keys, long bytes) throws Exception {
    return calls.send(calls.request("/upload").method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody())
        .header("Authorization", BlossomCalls.header(BlossomCalls.token(keys, "upload", java.util.List.of())))
        .header("X-Content-Length", Long.toString(bytes)).header("X-Content-Type", "video/mp4")).statusCode();
  }

  @Test
  void blossomCanBeSwitchedOff() throws Exception {
    try (TestNode node = TestNode.start(dir, "[blossom]\nenabled = false\n")) {
      BlossomCalls calls = new BlossomCalls(node.httpUrl());
      int status = calls.upload(alice, new byte[10], "text/plain").statusCode();
      assertTrue(status == 404 || status == 405, "no Blossom endpoint answers: " + status);
      assertEquals(200, calls.sendText(calls.request("/").GET()).statusCode());
    }
  }
}
