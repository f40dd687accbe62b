package archy.ecash.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.ecash.Db;
import archy.ecash.TestDb;
import archy.ecash.TestMint;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two gates on one PostgreSQL schema, as two relay processes behind a load balancer. */
class PostgresGateTest {
  private static final String CD = PaymentGate.CONTENT_DOWNLOAD;

  @TempDir Path dir;

  @Test
  void oneTokenRetriedThroughTwoProcessesCreditsOnce() throws Exception {
    try (TestMint mint = TestMint.start("pg-gate", dir.resolve("payer")); TestDb first = TestDb.postgres(dir);
         TestDb second = first.another()) {
      GateConfig config = GateSetup.config(List.of(mint.url()), true);
      EcashPaymentGate a = GateSetup.gate(first, config, Clock.systemUTC());
      EcashPaymentGate b = GateSetup.gate(second, config, Clock.systemUTC());
      String token = mint.token(77).encode();
      ExecutorService pool = Executors.newFixedThreadPool(6);
      List<Future<Redeem>> results = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        EcashPaymentGate g = i % 2 == 0 ? a : b;
        results.add(pool.submit((Callable<Redeem>) () -> g.redeem(token, CD, "film", "s")));
      }
      int credited = 0;
      for (Future<Redeem> f : results) {
        Redeem r = f.get();
        if (r instanceof Redeem.Credited c) {
          assertEquals(77_000, c.bytes());
          credited++;
        } else {
          assertEquals(new Redeem.Refused(409, "this token is being redeemed; try again shortly"), r);
        }
      }
      pool.shutdown();
      assertTrue(credited >= 1);
      assertEquals(77_000, a.balance("s", CD, "film"));
      assertEquals(77_000, b.balance("s", CD, "film"), "the other process reads the same session");
      assertEquals(77, a.totals(CD).satsCredited(), "one ledger credit");
    }
  }

  @Test
  void sessionsAndTheLedgerWorkOnPostgres() throws Exception {
    try (TestMint mint = TestMint.start("pg-session", dir.resolve("payer")); TestDb store = TestDb.postgres(dir)) {
      GateConfig config = GateSetup.config(List.of(mint.url()), true);
      EcashPaymentGate gate = GateSetup.gate(store, config, Clock.systemUTC());
      assertEquals(new Redeem.Credited("s", 50_000, 50_000), gate.redeem(mint.token(50).encode(), CD, "f", "s"));
      gate.debit("s", CD, "f", 20_000);
      gate.flush();
      EcashPaymentGate restarted = GateSetup.gate(store, config, Clock.systemUTC());
      assertEquals(30_000, restarted.balance("s", CD, "f"));
      assertInstanceOf(Decision.PaymentRequired.class, restarted.authorize("s", CD, "other", 1));
      assertEquals(20_000, restarted.totals(null).bytesDebited());
      assertThrows(SQLException.class, () -> store.db.tx(c -> Db.update(c, "DELETE FROM ecash_gate_ledger")));
    }
  }
}
