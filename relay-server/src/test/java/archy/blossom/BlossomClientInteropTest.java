package archy.blossom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.testing.NodeScripts;
import archy.testing.TestNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** blossom-client-sdk (the JavaScript Blossom client library) against a real node. */
class BlossomClientInteropTest {
  @TempDir Path dir;

  @Test
  void blossomClientSdkWorks() throws Exception {
    try (TestNode node = TestNode.start(dir, "")) {
      NodeScripts.Result r = NodeScripts.run("blossom-client.mjs", node.httpUrl());
      assertEquals(0, r.exitCode(), r.output());
      assertTrue(r.output().contains("blossom-client-sdk interop passed"), r.output());
    }
  }
}
