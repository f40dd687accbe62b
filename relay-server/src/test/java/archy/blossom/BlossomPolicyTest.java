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
  void blossomCanBeSwitchedOff() throws Exception {
    try (TestNode node = TestNode.start(dir, "[blossom]\nenabled = false\n")) {
      BlossomCalls calls = new BlossomCalls(node.httpUrl());
      int status = calls.upload(alice, new byte[10], "text/plain").statusCode();
      assertTrue(status == 404 || status == 405, "no Blossom endpoint answers: " + status);
      assertEquals(200, calls.sendText(calls.request("/").GET()).statusCode());
    }
  }
}
