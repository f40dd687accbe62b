package archy.ecash.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.ecash.Db;
import archy.ecash.TestDb;
import archy.ecash.TestMint;
import archy.ecash.devmint.DevMint;
import archy.ecash.ledger.LedgerTotals;
import archy.ecash.token.Token;
import archy.ecash.wallet.Wallet;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many payments and deliveries across services and scopes, at a mint that charges input fees: the ledger's
 * totals equal the bytes delivered, the session balances and the value held in the wallet.
 */
class LedgerReconciliationTest {
  @TempDir Path dir;

  @Test
  void bytesServedAndSatsReceivedReconcile() throws Exception {
    DevMint.Options options = DevMint.Options.defaults("ledger").withInputFeePpk(200);
    try (TestMint mint = TestMint.start(options, dir.resolve("payer")); TestDb store = TestDb.sqlite(dir.resolve("node"))) {
      GateConfig config = GateSetup.config(List.of(mint.url()), true);
      Wallet wallet = Wallet.open(store.db, TestMint.mints(config.mints()), Clock.systemUTC());
      EcashPaymentGate gate = new EcashPaymentGate(store.db, wallet, config, Clock.systemUTC());
      Random random = new Random(7);
      String[] services = {PaymentGate.CONTENT_DOWNLOAD, PaymentGate.RELAY_BANDWIDTH};
      long gross = 0;
      long served = 0;
      for (int i = 0; i < 24; i++) {
        String service = services[i % 2];
        String scope = "film-" + (i % 3);
        String session = "s" + (i % 4);
        Token token = mint.token(5 + random.nextInt(200));
        Redeem r = gate.redeem(token.encode(), service, scope, session);
        assertTrue(r instanceof Redeem.Credited, r.toString());
        gross += token.amount();
        long balance = gate.balance(session, service, scope);
        long deliver = Math.min(balance, random.nextInt(150_000));
        if (gate.authorize(session, service, scope, deliver) instanceof Decision.Allowed) {
          gate.debit(session, service, scope, deliver);
          served += deliver;
        }
      }
      gate.flush();
      LedgerTotals t = gate.totals(null);
      long balances = store.db.tx(c -> Db.scalar(c, "SELECT COALESCE(SUM(balance), 0) FROM ecash_gate_sessions"));
      assertEquals(served, t.bytesDebited(), "bytes served = bytes debited");
      assertEquals(balances, t.bytesOutstanding(), "bytes paid for = bytes served + balances left");
      assertEquals(wallet.balance(mint.url()), t.satsReceived(), "sats in, net of fees = proofs held");
      assertEquals(gross, t.satsGross(), "sats in = proofs held + swap fees");
      assertTrue(t.swapFees() > 0, "the mint charged input fees");
      LedgerTotals cd = gate.totals(PaymentGate.CONTENT_DOWNLOAD);
      LedgerTotals rb = gate.totals(PaymentGate.RELAY_BANDWIDTH);
      assertEquals(t.satsGross(), cd.satsGross() + rb.satsGross(), "per-service totals add up");
      assertEquals(t.bytesDebited(), cd.bytesDebited() + rb.bytesDebited());
    }
  }
}
