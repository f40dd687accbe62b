package archy.ecash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.ecash.gate.Decision;
import archy.ecash.gate.PaymentGate;
import archy.ecash.gate.Redeem;
import archy.testing.TestNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plugin in a real node: config read, tables migrated, the gate published, metrics exported, balances kept. */
class EcashGatePluginTest {
  @TempDir Path dir;

  @Test
  void aNodePublishesTheGateAndKeepsSessionsAcrossRestarts() throws Exception {
    try (TestMint mint = TestMint.start("plugin-test", dir.resolve("payer"))) {
      String toml = """
          [plugins]
          enabled = ["ecash-gate", "gate-probe"]
          [ecash-gate]
          mints = ["%s/"]
          [ecash-gate.prices]
          content-download = 1000
          """.formatted(mint.url());
      try (TestNode node = TestNode.start(dir.resolve("node"), toml)) {
        PaymentGate gate = GateProbePlugin.found;
        assertEquals(java.util.List.of(mint.url()), gate.mints(), "normalized: no trailing slash");
        Decision.PaymentRequired pr = assertInstanceOf(Decision.PaymentRequired.class,
            gate.authorize(null, PaymentGate.CONTENT_DOWNLOAD, "film", 10_000));
        assertEquals(10, pr.request().amount());
        Redeem r = gate.redeem(mint.token(10).encode(), PaymentGate.CONTENT_DOWNLOAD, "film", pr.sessionId());
        assertEquals(new Redeem.Credited(pr.sessionId(), 10_000, 10_000), r);
        gate.debit(pr.sessionId(), PaymentGate.CONTENT_DOWNLOAD, "film", 4_000);
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(node.httpUrl() + "/metrics"))
            .build(), HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(metrics.contains("ecash_gate_redeems_total{outcome=\"credited\"} 1.0"), metrics);
        GateProbePlugin.found = null;
        String session = pr.sessionId();
        node.close(); // the plugin flushes its debits at close
        try (TestNode again = TestNode.start(dir.resolve("node"), toml)) {
          assertEquals(6_000, GateProbePlugin.found.balance(session, PaymentGate.CONTENT_DOWNLOAD, "film"));
        }
      }
    }
  }
}
