package archy.ecash.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import archy.ecash.TestDb;
import archy.ecash.devmint.DevMint;
import archy.ecash.devmint.Invoice;
import archy.ecash.devmint.LightningNetwork;
import archy.ecash.encoding.Json;
import archy.testing.NodeScripts;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cashuB token made by cashu-ts (an independent wallet: short keyset ids, DLEQ with r) is redeemed by the gate,
 * at a mint that charges an input fee. Uses the dev mint's interop script in src/test/node.
 */
class GateCashuTsInteropTest {
  private static final NodeScripts SCRIPTS = new NodeScripts(Path.of("src/test/node"));

  @TempDir Path dir;

  @Test
  void theGateRedeemsATokenMadeByCashuTs() throws Exception {
    LightningNetwork network = new LightningNetwork();
    DevMint.Options options = DevMint.Options.defaults("gate-interop").withAutoPay(true).withInputFeePpk(100);
    try (DevMint mint = DevMint.start(network, options); TestDb store = TestDb.sqlite(dir)) {
      Invoice invoice = network.createNode("shop", 0).createInvoice(40, "interop melt", Duration.ofMinutes(10));
      NodeScripts.Result run = SCRIPTS.runScript("cashu-ts-wallet.mjs", mint.url(), invoice.request());
      assertEquals(0, run.exitCode(), run.output());
      String[] lines = run.output().strip().split("\n");
      JsonNode out = Json.mapper().readTree(lines[lines.length - 1]);
      long amount = out.get("received").asLong();

      EcashPaymentGate gate = GateSetup.gate(store, GateSetup.config(List.of(mint.url()), false), Clock.systemUTC());
      Redeem r = gate.redeem(out.get("token").asText(), PaymentGate.CONTENT_DOWNLOAD, "film", "s");
      long fee = gate.totals(null).swapFees();
      assertEquals(1, fee, "100 ppk on a handful of proofs");
      assertEquals(new Redeem.Credited("s", (amount - fee) * 1000, (amount - fee) * 1000), r);
    }
  }
}
