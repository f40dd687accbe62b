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
import archy.ecash.wallet.Wallet;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
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

  @Test
  void aTokenRetryThatFailsEveryTimeNeverHoldsBackWalletRecovery() throws Exception {
    try (TestMint mint = TestMint.start("plugin-jobs", dir.resolve("payer"))) {
      Path nodeDir = dir.resolve("jobs-node");
      try (TestDb db = TestDb.sqlite(nodeDir)) {
        Wallet w = Wallet.open(db.db, TestMint.mints(java.util.List.of(mint.url())), Clock.systemUTC());
        mint.fund(w, 100);
        // a crash left a 64 sat proof reserved by an operation never journaled: recovery must release it
        db.db.tx(c -> Db.update(c, "UPDATE ecash_gate_proofs SET state = 'reserved', op = 'split-crashed', "
            + "updated = 0 WHERE amount = 64"));
        // queued tokens that no longer read: retrying one throws, so every sweep for the next minute fails
        for (int i = 0; i < 12; i++) {
          db.db.tx(c -> Db.update(c, "INSERT INTO ecash_gate_tokens (hash, session, service, scope, mint, amount, "
              + "sats_per_mb, state, token, created, updated) VALUES (?, 's', 'content-download', 'x', ?, 10, 1, "
              + "'pending', 'cashuBnot-a-token', 0, 0)", "poison-" + System.nanoTime(), mint.url()));
        }
        assertEquals(36, w.balance(mint.url()));
      }
      String toml = """
          [plugins]
          enabled = ["ecash-gate"]
          [ecash-gate]
          mints = ["%s"]
          recovery_grace_seconds = 1
          """.formatted(mint.url());
      try (TestNode node = TestNode.start(nodeDir, toml); TestDb db = TestDb.sqlite(nodeDir)) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        long unspent;
        do {
          Thread.sleep(200);
          unspent = db.db.tx(c -> Db.scalar(c, "SELECT COALESCE(SUM(amount), 0) FROM ecash_gate_proofs WHERE state = 'unspent'"));
        } while (unspent != 100 && System.nanoTime() < deadline);
        assertEquals(100, unspent, "recovery ran although the token retry before it failed");
      }
    }
  }
}
