package archy.ecash.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.ecash.Db;
import archy.ecash.TestDb;
import archy.ecash.TestMint;
import archy.ecash.crypto.Scalar;
import archy.ecash.devmint.DevMint;
import archy.ecash.ledger.LedgerTotals;
import archy.ecash.request.PaymentRequest;
import archy.ecash.token.Dleq;
import archy.ecash.token.Proof;
import archy.ecash.token.Token;
import archy.ecash.wallet.Wallet;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gate end to end: tokens made by a payer wallet at the dev mint, redeemed over HTTP, sessions in SQLite. */
class PaymentGateTest {
  private static final String CD = PaymentGate.CONTENT_DOWNLOAD;

  @TempDir Path dir;
  private TestMint mint;
  private TestDb store;
  private GateConfig config;
  private EcashPaymentGate gate;

  @BeforeEach
  void start() throws Exception {
    mint = TestMint.start("gate-test", dir.resolve("payer"));
    store = TestDb.sqlite(dir.resolve("node"));
    config = GateSetup.config(List.of(mint.url()), true);
    gate = GateSetup.gate(store, config, Clock.systemUTC());
  }

  @AfterEach
  void stop() throws Exception {
    store.close();
    mint.close();
  }

  @Test
  void asksForAPaymentRequestWithAmountUnitMintsAndSession() throws Exception {
    PaymentRequest r = gate.requestFor(CD, "film-a", 2_500_000, "s1");
    assertEquals(2500, r.amount(), "2.5 MB at 1000 sat/MB");
    assertEquals("sat", r.unit());
    assertEquals(List.of(mint.url()), r.mints());
    assertEquals("s1", r.id());
    assertEquals(r, PaymentRequest.decode(r.encodeA()));
    assertEquals(1, gate.requestFor(CD, "film-a", 1, "s1").amount(), "never less than 1 sat");
    assertEquals(32, gate.requestFor(CD, null, 100, null).id().length(), "a new session id when none is given");
  }

  @Test
  void aPaidSessionIsDebitedAndToppedUpByExactlyWhatWasPaid() throws Exception {
    Decision first = gate.authorize(null, CD, "film-a", 100_000);
    Decision.PaymentRequired pr = assertInstanceOf(Decision.PaymentRequired.class, first);
    assertEquals(100, pr.request().amount());
    String session = pr.sessionId();

    Redeem r = gate.redeem(mint.token(100).encode(), CD, "film-a", session);
    assertEquals(new Redeem.Credited(session, 100_000, 100_000), r);
    assertEquals(new Decision.Allowed(100_000), gate.authorize(session, CD, "film-a", 100_000));
    assertEquals(40_000, gate.debit(session, CD, "film-a", 60_000));

    Decision.PaymentRequired more = assertInstanceOf(Decision.PaymentRequired.class,
        gate.authorize(session, CD, "film-a", 50_000));
    assertEquals(10_000, more.shortfallBytes());
    assertEquals(10, more.request().amount());
    assertEquals(session, more.sessionId());
    assertEquals(new Redeem.Credited(session, 10_000, 50_000),
        gate.redeem(mint.token(10).encode(), CD, "film-a", session));
    assertInstanceOf(Decision.Allowed.class, gate.authorize(session, CD, "film-a", 50_000));
  }

  @Test
  void reservationsCountAgainstTheBalanceUntilSettledAndADebtIsAskedForInFull() throws Exception {
    String session = gate.newSessionId();
    gate.redeem(mint.token(100).encode(), CD, "film-a", session);
    Decision.Allowed a = assertInstanceOf(Decision.Allowed.class, gate.reserve(session, CD, "film-a", 60_000));
    assertEquals(60_000, a.reservation().bytes());
    Decision.PaymentRequired busy = assertInstanceOf(Decision.PaymentRequired.class,
        gate.reserve(session, CD, "film-a", 60_000), "40,000 are left while the first response is in flight");
    assertEquals(20_000, busy.shortfallBytes());
    a.reservation().settle(25_000); // the client left after 25,000 bytes
    a.reservation().settle(60_000); // settling again changes nothing
    assertEquals(75_000, gate.balance(session, CD, "film-a"));
    assertInstanceOf(Decision.Allowed.class, gate.reserve(session, CD, "film-a", 75_000)).reservation().settle(75_000);

    gate.debit(session, CD, "film-a", 5_000); // served unreserved (another process, say): a debt of 5,000
    Decision.PaymentRequired owed = assertInstanceOf(Decision.PaymentRequired.class,
        gate.reserve(session, CD, "film-a", 10_000));
    assertEquals(15_000, owed.shortfallBytes(), "the debt is asked for in full, on top of the bytes wanted");
    assertEquals(15, owed.request().amount());
  }

  @Test
  void creditBoughtForOneScopeNeverPaysForAnother() throws Exception {
    gate.redeem(mint.token(50).encode(), CD, "film-a", "s");
    assertEquals(50_000, gate.balance("s", CD, "film-a"));
    assertInstanceOf(Decision.PaymentRequired.class, gate.authorize("s", CD, "film-b", 1));
    assertInstanceOf(Decision.PaymentRequired.class, gate.authorize("s", PaymentGate.RELAY_BANDWIDTH, "film-a", 1));
    assertEquals(0, gate.balance("s", CD, "film-b"));
  }

  @Test
  void balancesSurviveARestartInTheMiddleOfASession() throws Exception {
    gate.redeem(mint.token(100).encode(), CD, "film-a", "s");
    gate.debit("s", CD, "film-a", 30_000);
    gate.flush(); // what the plugin does at close
    EcashPaymentGate restarted = GateSetup.gate(store, config, Clock.systemUTC());
    assertEquals(70_000, restarted.balance("s", CD, "film-a"));
    assertEquals(new Decision.Allowed(70_000), restarted.authorize("s", CD, "film-a", 70_000));
  }

  @Test
  void aTokenSpentElsewhereIsRefusedAsAlreadySpent() throws Exception {
    Token token = mint.token(40);
    try (TestDb other = TestDb.sqlite(dir.resolve("other"))) {
      Wallet.open(other.db, TestMint.mints(List.of(mint.url())), Clock.systemUTC()).receive("first", token);
    }
    assertEquals(new Redeem.Refused(400, "token already spent"), gate.redeem(token.encode(), CD, "f", "s"));
    assertEquals(0, gate.balance("s", CD, "f"));
  }

  @Test
  void theSameTokenCreditsOnceAndCannotPayASecondSession() throws Exception {
    String token = mint.token(20).encode();
    Redeem once = gate.redeem(token, CD, "f", "s");
    assertEquals(once, gate.redeem(token, CD, "f", "s"), "a retry answers as the first time");
    assertEquals(20_000, gate.balance("s", CD, "f"));
    assertEquals(new Redeem.Refused(400, "token already redeemed"), gate.redeem(token, CD, "f", "other"));
  }

  @Test
  void concurrentRetriesOfOneTokenCreditOnce() throws Exception {
    String token = mint.token(64).encode();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<Redeem>> results = new ArrayList<>();
    for (int i = 0; i < 8; i++) results.add(pool.submit((Callable<Redeem>) () -> gate.redeem(token, CD, "f", "s")));
    for (Future<Redeem> f : results) assertEquals(new Redeem.Credited("s", 64_000, 64_000), f.get());
    pool.shutdown();
    assertEquals(64_000, gate.balance("s", CD, "f"));
    assertEquals(64, gate.totals(CD).satsCredited());
  }

  @Test
  void refusesTokensOfOtherMintsAndUnits() throws Exception {
    try (TestMint foreign = TestMint.start("foreign", dir.resolve("foreign"))) {
      Redeem r = gate.redeem(foreign.token(10).encode(), CD, "f", "s");
      assertEquals(new Redeem.Refused(400, "mint not accepted"), r);
    }
    Token sat = mint.token(10);
    Token usd = new Token(sat.mint(), "usd", null, sat.proofs());
    assertEquals(new Redeem.Refused(400, "unit must be sat"), gate.redeem(usd.encode(), CD, "f", "s"));
    assertEquals(new Redeem.Credited("s", 10_000, 10_000), gate.redeem(sat.encode(), CD, "f", "s"),
        "the refusals consumed nothing");
  }

  @Test
  void refusesAProofWhoseDleqDoesNotVerify() throws Exception {
    Token token = mint.token(10);
    Proof p = token.proofs().getFirst();
    Dleq d = p.dleq();
    Dleq forged = new Dleq(d.e(), Scalar.random().toHex(), d.r());
    List<Proof> proofs = new ArrayList<>(token.proofs());
    proofs.set(0, new Proof(p.amount(), p.id(), p.secret(), p.c(), forged, null));
    Redeem r = gate.redeem(new Token(token.mint(), "sat", null, proofs).encode(), CD, "f", "s");
    Redeem.Refused refused = assertInstanceOf(Redeem.Refused.class, r);
    assertTrue(refused.reason().contains("DLEQ"), refused.reason());
    assertEquals(0, gate.balance("s", CD, "f"));
  }

  @Test
  void refusesDuplicateProofsGarbageAndBlsKeysets() throws Exception {
    Token token = mint.token(2);
    Proof p = token.proofs().getFirst();
    assertEquals(new Redeem.Refused(400, "the token holds the same proof twice"),
        gate.redeem(new Token(token.mint(), "sat", null, List.of(p, p)).encode(), CD, "f", "s"));
    assertEquals(400, ((Redeem.Refused) gate.redeem("cashuBnonsense", CD, "f", "s")).httpStatus());
    assertEquals(400, ((Redeem.Refused) gate.redeem("x".repeat(20_000), CD, "f", "s")).httpStatus());
    Proof bls = new Proof(p.amount(), "02" + "ab".repeat(32), p.secret() + "0", p.c());
    Redeem.Refused r = assertInstanceOf(Redeem.Refused.class,
        gate.redeem(new Token(token.mint(), "sat", null, List.of(bls)).encode(), CD, "f", "s"));
    assertTrue(r.reason().contains("BLS"), r.reason());
  }

  @Test
  void aTokenWorthLessThanTheSwapFeeIsRefused() throws Exception {
    mint.mint.rotateKeyset(1000); // 1 sat per input
    Token one = mint.token(1);
    Redeem.Refused r = assertInstanceOf(Redeem.Refused.class, gate.redeem(one.encode(), CD, "f", "s"));
    assertTrue(r.reason().contains("input fee"), r.reason());
  }

  @Test
  void freeServicesNeedNoPayment() throws Exception {
    gate.setScopePrice(CD, "trailer", 0L);
    assertEquals(new Decision.Allowed(Long.MAX_VALUE), gate.authorize(null, CD, "trailer", 1 << 30));
    gate.setScopePrice(CD, "premiere", 5000L);
    assertEquals(5, gate.requestFor(CD, "premiere", 1000, "s").amount());
    gate.setScopePrice(CD, "premiere", null);
    assertEquals(1, gate.requestFor(CD, "premiere", 1000, "s").amount());
    assertThrows(IllegalArgumentException.class, () -> gate.authorize("s", "unknown-service", "x", 1));
  }

  @Test
  void theLedgerIsAppendOnly() throws Exception {
    gate.redeem(mint.token(3).encode(), CD, "f", "s");
    assertThrows(SQLException.class, () -> store.db.tx(c -> Db.update(c, "UPDATE ecash_gate_ledger SET sats = 0")));
    assertThrows(SQLException.class, () -> store.db.tx(c -> Db.update(c, "DELETE FROM ecash_gate_ledger")));
    LedgerTotals t = gate.totals(null);
    assertEquals(3, t.satsCredited());
  }
}
