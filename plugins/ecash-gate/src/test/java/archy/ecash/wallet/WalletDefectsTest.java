package archy.ecash.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.ecash.Db;
import archy.ecash.TestDb;
import archy.ecash.TestMint;
import archy.ecash.devmint.DevMint;
import archy.ecash.devmint.Invoice;
import archy.ecash.mint.MeltQuote;
import archy.ecash.mint.MintClient;
import archy.ecash.mint.MintUnavailableException;
import archy.ecash.mint.ProofState;
import archy.ecash.token.Token;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Wallet defects found by reading the code (issue 12, issue 10 item 13), each reproduced against the dev mint. */
class WalletDefectsTest {
  @TempDir Path dir;
  private TestMint mint;
  private TestDb store;
  private Wallet wallet;

  @BeforeEach
  void start() throws Exception {
    mint = TestMint.start(DevMint.Options.defaults("defects").withResponseCache(false), dir.resolve("payer"));
    store = TestDb.sqlite(dir.resolve("wallet"));
    wallet = Wallet.open(store.db, TestMint.mints(List.of(mint.url())), Clock.systemUTC());
  }

  @AfterEach
  void stop() throws Exception {
    store.close();
    mint.close();
  }

  private List<ProofState.State> states(Token token) throws Exception {
    MintClient client = TestMint.mints(List.of(mint.url())).client(mint.url());
    return client.checkProofs(token.proofs()).stream().map(ProofState::state).toList();
  }

  @Test
  void aProxysAnswerWithoutANutCodeLeavesAReceiveOpenNotRefused() throws Exception {
    Token token = mint.token(100);
    mint.mint.faults().proxyAnswersNext("/v1/swap", 408, false);
    assertThrows(MintUnavailableException.class, () -> wallet.receive("proxied", token));
    assertEquals(100, wallet.receive("proxied", token).net(), "the same operation goes through once the proxy lets it");
    assertEquals(100, wallet.balance(mint.url()));
  }

  @Test
  void aProxysAnswerWithoutANutCodeKeepsAMeltsInputsWhileTheMintPays() throws Exception {
    mint.fund(wallet, 1000);
    Invoice invoice = mint.network.faucet().createInvoice(300, "proxied", Duration.ofMinutes(10));
    mint.mint.faults().proxyAnswersNext("/v1/melt/bolt11", 429, true); // the mint paid; the proxy said 429
    MintUnavailableException e = assertThrows(MintUnavailableException.class,
        () -> wallet.melt(mint.url(), invoice.request(), 100));
    assertEquals(429, e.httpStatus());
    assertTrue(wallet.total(ProofStatus.PENDING) >= 302, "the inputs stay pending: the mint may be paying");
    assertTrue(wallet.balance(mint.url()) < 1000 - 300, "nothing released as spendable");
    RecoveryReport report = wallet.recover(Duration.ZERO);
    assertEquals(1, report.finished(), "the quote read again says PAID");
    assertEquals(0, wallet.total(ProofStatus.PENDING));
    assertTrue(wallet.balance(mint.url()) >= 1000 - 302, "the change came back by restore");
  }

  @Test
  void aKeysetRotationDoesNotBurnAValidToken() throws Exception {
    Token token = mint.token(100);
    wallet.mints().keysets(mint.url()); // cached: the keyset about to be rotated away is the active one
    mint.mint.rotateKeyset(0);
    Received r = wallet.receive("rotated", token);
    assertEquals(100, r.net(), "12002 on our outputs: keysets read again, outputs re-planned, swapped once more");
    assertEquals(List.of(ProofState.State.SPENT), states(token).stream().distinct().toList());
    assertEquals(100, wallet.balance(mint.url()));
    assertEquals(mint.mint.activeKeyset().id(), heldKeysets().get(0), "the new proofs are on the new keyset");
  }

  @Test
  void aKeysetRotationBeforeASendReplansItsChange() throws Exception {
    mint.fund(wallet, 1000);
    mint.mint.rotateKeyset(0);
    Token sent = wallet.send(mint.url(), 5);
    assertEquals(5, sent.amount());
    assertEquals(995, wallet.balance(mint.url()));
  }

  @Test
  void aMintAfterAKeysetRotationReplansItsOutputs() throws Exception {
    MintInvoice invoice = wallet.requestMint(mint.url(), 64);
    wallet.mints().keysets(mint.url());
    mint.network.faucet().pay(invoice.bolt11());
    mint.mint.rotateKeyset(0);
    assertEquals(64, wallet.completeMint(invoice.opId()));
    assertEquals(64, wallet.balance(mint.url()));
  }

  @Test
  void outputsSignedBeforeAreNotTakenAsPaymentForAnotherToken() throws Exception {
    // The database comes back from a backup taken before the first receive: the counter is rewound, so the second
    // receive makes the very outputs the mint signed for the first (11003). A restore of them must not count as
    // the second token's swap while its proofs are still unspent at the mint.
    Token first = mint.token(100);
    String keyset = mint.mint.activeKeyset().id();
    assertEquals(100, wallet.receive("first", first).net());
    store.db.tx(c -> Db.update(c, "UPDATE ecash_gate_counters SET next = 0 WHERE keyset_id = ?", keyset));
    Token second = mint.token(100);
    Received r = wallet.receive("second", second);
    assertEquals(100, r.net());
    assertEquals(List.of(ProofState.State.SPENT), states(second).stream().distinct().toList(),
        "the second token was really swapped, on fresh counters");
  }

  @Test
  void aTokenNobodyClaimsComesBackAfterTheGracePeriod() throws Exception {
    mint.fund(wallet, 1000);
    Token sent = wallet.send(mint.url(), 100);
    RecoveryReport early = wallet.recover(Duration.ZERO, Duration.ofDays(1));
    assertEquals(0, early.reclaimedSends(), "within the grace period the receiver may still claim it");
    assertEquals(100, wallet.total(ProofStatus.PENDING));

    RecoveryReport late = wallet.recover(Duration.ZERO, Duration.ZERO);
    assertEquals(sent.proofs().size(), late.reclaimedSends());
    assertEquals(0, wallet.total(ProofStatus.PENDING), "nothing stuck pending");
    assertEquals(1000, wallet.balance(mint.url()), "swapped back into the wallet");
    assertEquals(List.of(ProofState.State.SPENT), states(sent).stream().distinct().toList(),
        "swapped, so a receiver claiming it later finds it spent instead of both holding it");
  }

  @Test
  void handedOutProofsAreCheckedInBoundedBatches() throws Exception {
    try (TestMint small = TestMint.start(DevMint.Options.defaults("small-batches").withMaxInputsOutputs(50),
        dir.resolve("payer-small"))) {
      Wallet w = Wallet.open(store.db, TestMint.mints(List.of(small.url())), Clock.systemUTC());
      small.fund(w, 1000);
      List<Token> tokens = new java.util.ArrayList<>();
      for (int i = 0; i < 60; i++) tokens.add(w.send(small.url(), 1));
      try (TestDb other = TestDb.sqlite(dir.resolve("receiver"))) {
        Wallet receiver = Wallet.open(other.db, TestMint.mints(List.of(small.url())), Clock.systemUTC());
        for (int i = 0; i < tokens.size(); i++) receiver.receive("r" + i, tokens.get(i));
      }
      assertEquals(60, w.recover(Duration.ZERO).claimedSends(), "60 pending proofs, at most 50 per NUT-07 request");
      assertEquals(0, w.total(ProofStatus.PENDING));
    }
  }

  private List<String> heldKeysets() throws Exception {
    return store.db.tx(c -> Db.query(c, "SELECT DISTINCT keyset_id FROM ecash_gate_proofs WHERE state = 'unspent'",
        rs -> rs.getString(1)));
  }
}
