package archy.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.testing.NodeScripts;
import archy.testing.TestNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** nostr-tools (the JavaScript library most web clients use) against a real node. */
class NostrToolsInteropTest {
  @TempDir Path dir;

  @Test
  void nostrToolsClientWorks() throws Exception {
    try (TestNode node = TestNode.start(dir, "")) {
      NodeScripts.Result r = NodeScripts.run("nostr-tools-client.mjs", node.wsUrl());
      assertEquals(0, r.exitCode(), r.output());
      assertTrue(r.output().contains("nostr-tools interop passed"), r.output());
    }
  }
}
