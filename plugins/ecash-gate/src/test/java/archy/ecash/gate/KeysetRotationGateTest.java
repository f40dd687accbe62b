package archy.ecash.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import archy.ecash.TestDb;
import archy.ecash.TestMint;
import archy.ecash.token.Token;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10 item 13: a mint rotating its keyset while the gate holds its keysets in cache must not burn customers'
 * tokens: neither one on the old keyset (our outputs go to the old one and the mint answers 12002) nor one on the
 * new keyset the cache has not seen yet.
 */
class KeysetRotationGateTest {
  private static final String CD = PaymentGate.CONTENT_DOWNLOAD;

  @TempDir Path dir;
  private TestMint mint;
  private TestDb store;
  private EcashPaymentGate gate;

  @BeforeEach
  void start() throws Exception {
    mint = TestMint.start("rotation-gate", dir.resolve("payer"));
    store = TestDb.sqlite(dir.resolve("node"));
    gate = GateSetup.gate(store, GateSetup.config(List.of(mint.url()), false), Clock.systemUTC());
    gate.redeem(mint.token(1).encode(), CD, "warm", "s0"); // the gate's wallet now caches the first keyset
  }

  @AfterEach
  void stop() throws Exception {
    store.close();
    mint.close();
  }

  @Test
  void aTokenOnTheOldKeysetIsCreditedAfterARotation() throws Exception {
    Token old = mint.token(100);
    mint.mint.rotateKeyset(0);
    assertEquals(new Redeem.Credited("s1", 100_000, 100_000), gate.redeem(old.encode(), CD, "film", "s1"));
  }

  @Test
  void aTokenOnANewKeysetTheCacheHasNotSeenIsCredited() throws Exception {
    mint.mint.rotateKeyset(0);
    Token fresh = mint.token(20_000); // the payer mints anew, on the new keyset
    Token part = mint.payer().send(mint.url(), 100);
    assertEquals(mint.mint.activeKeyset().id(), part.proofs().get(0).id(), "a proof of the new keyset");
    assertEquals(new Redeem.Credited("s2", 100_000, 100_000), gate.redeem(part.encode(), CD, "film", "s2"));
    assertEquals(20_000, fresh.amount());
  }
}
