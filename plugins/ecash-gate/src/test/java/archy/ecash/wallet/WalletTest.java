package archy.ecash.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.ecash.TestDb;
import archy.ecash.TestMint;
import archy.ecash.devmint.DevMint;
import archy.ecash.devmint.Invoice;
import archy.ecash.keyset.UnsupportedKeysetException;
import archy.ecash.mint.MeltQuote;
import archy.ecash.mint.MintRejectedException;
import archy.ecash.mint.MintUnavailableException;
import archy.ecash.mint.NutError;
import archy.ecash.token.Token;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The wallet against the dev mint over HTTP, its proofs in a real SQLite file. */
class WalletTest {
  @TempDir Path dir;
  private TestMint mint;
  private TestDb store;
  private Wallet wallet;

  @BeforeEach
  void start() throws Exception {
    mint = TestMint.start(DevMint.Options.defaults("wallet-test").withResponseCache(false), dir.resolve("payer"));
    store = TestDb.sqlite(dir.resolve("wallet"));
    wallet = Wallet.open(store.db, TestMint.mints(List.of(mint.url())), Clock.systemUTC());
  }

  @AfterEach
  void stop() throws Exception {
    store.close();
    mint.close();
  }

  private String keyset() {
    return mint.mint.activeKeyset().id();
  }

  @Test
  void mintsWithALockedQuoteAndCountsTheOutputs() throws Exception {
    mint.fund(wallet, 1000);
    assertEquals(1000, wallet.balance(mint.url()));
    assertEquals(Long.bitCount(1000), wallet.nextCounter(keyset()), "one counter per output, 512+256+128+64+32+8");
  }

  @Test
  void mintQuoteIsNotMintedBeforeItIsPaid() throws Exception {
    MintInvoice invoice = wallet.requestMint(mint.url(), 64);
    assertEquals(0, wallet.completeMint(invoice.opId()));
    mint.network.faucet().pay(invoice.bolt11());
    assertEquals(64, wallet.completeMint(invoice.opId()));
    assertEquals(64, wallet.completeMint(invoice.opId()), "completing again mints nothing more");
    assertEquals(64, wallet.balance(mint.url()));
  }

  @Test
  void receivesATokenBySwappingItAndRefusesItTwice() throws Exception {
    Token token = mint.token(300);
    Received r = wallet.receive("op-1", token);
    assertEquals(300, r.net());
    assertEquals(300, wallet.balance(mint.url()));
    assertEquals(r, wallet.receive("op-1", token), "the same operation id answers as before");
    MintRejectedException spent = assertThrows(MintRejectedException.class, () -> wallet.receive("op-2", token));
    assertTrue(spent.is(NutError.PROOFS_ALREADY_SPENT));
    assertEquals(300, wallet.balance(mint.url()));
  }

  @Test
  void sendsExactAmountsSplittingBySwapWhenNeeded() throws Exception {
    mint.fund(wallet, 1000);
    Token exact = wallet.send(mint.url(), 512 + 8);
    assertEquals(520, exact.amount());
    assertEquals(Long.bitCount(1000), wallet.nextCounter(keyset()), "held proofs add up: no swap, no counters");
    Token split = wallet.send(mint.url(), 5);
    assertEquals(5, split.amount());
    assertEquals(1000 - 520 - 5, wallet.balance(mint.url()));
    assertEquals(525, wallet.total(ProofStatus.PENDING), "handed out, not yet claimed");

    try (TestDb other = TestDb.sqlite(dir.resolve("receiver"))) {
      Wallet receiver = Wallet.open(other.db, TestMint.mints(List.of(mint.url())), Clock.systemUTC());
      assertEquals(5, receiver.receive("r", split).net());
    }
    RecoveryReport report = wallet.recover(Duration.ZERO);
    assertEquals(Long.bitCount(5), report.claimedSends(), "NUT-07 shows the receiver claimed them");
    assertEquals(520, wallet.total(ProofStatus.PENDING));
  }

  @Test
  void refusesToOverspendAndToUseUnlistedMints() throws Exception {
    mint.fund(wallet, 100);
    WalletException e = assertThrows(WalletException.class, () -> wallet.send(mint.url(), 101));
    assertTrue(e.getMessage().contains("insufficient"), e.getMessage());
    assertEquals(100, wallet.balance(mint.url()));
    assertThrows(WalletException.class, () -> wallet.send("http://127.0.0.1:1", 1));
  }

  @Test
  void inputFeesArePaidByTheReceiver() throws Exception {
    mint.mint.rotateKeyset(100); // 100 ppk: 1 sat per 1-10 inputs
    Token token = mint.token(300); // 256 + 32 + 8 + 4: four proofs
    Received r = wallet.receive("fee", token);
    assertEquals(1, r.fee());
    assertEquals(299, wallet.balance(mint.url()));
    Token sent = wallet.send(mint.url(), 7);
    assertEquals(7, sent.amount());
    assertEquals(299 - 7 - 1, wallet.balance(mint.url()), "the split swap paid its own input fee");
  }

  @Test
  void meltsWithChangeOnBlankOutputs() throws Exception {
    mint.fund(wallet, 2000);
    Invoice invoice = mint.network.faucet().createInvoice(500, "pay out", Duration.ofMinutes(10));
    Melted m = wallet.melt(mint.url(), invoice.request(), 100);
    assertEquals(MeltQuote.State.PAID, m.state());
    assertTrue(m.preimage() != null && !m.preimage().isEmpty());
    assertEquals(2000 - 500 - m.feePaid(), wallet.balance(mint.url()));
    assertTrue(m.feePaid() >= 1 && m.feePaid() < 2, "fee reserve 2, the route cost 1 sat: 1 came back as change");
  }

  @Test
  void aFailedPaymentReleasesTheInputs() throws Exception {
    mint.fund(wallet, 1000);
    mint.mint.node().failNext();
    Invoice invoice = mint.network.faucet().createInvoice(300, "fails", Duration.ofMinutes(10));
    Melted m = wallet.melt(mint.url(), invoice.request(), 100);
    assertEquals(MeltQuote.State.UNPAID, m.state());
    assertEquals(1000, wallet.balance(mint.url()));
  }

  @Test
  void aHeldPaymentStaysPendingUntilTheNetworkSettlesIt() throws Exception {
    mint.fund(wallet, 1000);
    mint.mint.node().holdNext();
    Invoice invoice = mint.network.faucet().createInvoice(300, "held", Duration.ofMinutes(10));
    Melted m = wallet.melt(mint.url(), invoice.request(), 100);
    assertEquals(MeltQuote.State.PENDING, m.state());
    long pending = wallet.total(ProofStatus.PENDING);
    assertTrue(pending >= 302, "inputs stay pending: " + pending);
    assertEquals(MeltQuote.State.PENDING, wallet.resumeMelt(m.opId()).state(), "time alone never releases them");
    mint.network.settlePending(invoice.paymentHash());
    Melted done = wallet.resumeMelt(m.opId());
    assertEquals(MeltQuote.State.PAID, done.state());
    assertEquals(0, wallet.total(ProofStatus.PENDING));
    assertEquals(1000 - 300 - done.feePaid(), wallet.balance(mint.url()));
  }

  @Test
  void aLostSwapAnswerIsRestoredAndTheCounterIsNeverRewound() throws Exception {
    mint.fund(wallet, 1000);
    long before = wallet.nextCounter(keyset());
    mint.mint.faults().loseNextResponse("/v1/swap");
    assertThrows(MintUnavailableException.class, () -> wallet.send(mint.url(), 5));
    long after = wallet.nextCounter(keyset());
    assertTrue(after > before, "the counter range was reserved before the call");
    assertEquals(1000 - 8, wallet.balance(mint.url()), "the 8 sat proof is in the swap of unknown outcome");

    // a new wallet on the same database: the process restarted
    Wallet restarted = Wallet.open(store.db, TestMint.mints(List.of(mint.url())), Clock.systemUTC());
    RecoveryReport report = restarted.recover(Duration.ZERO);
    assertEquals(1, report.finished(), "same outputs again: 11001, then NUT-09 restore");
    assertEquals(after, restarted.nextCounter(keyset()), "recovery made no new outputs");
    assertEquals(995, restarted.balance(mint.url()));
    assertEquals(5, restarted.total(ProofStatus.PENDING), "the 5 sat split off are kept for the send");
    restarted.send(mint.url(), 7); // a fresh swap after recovery: 11003 would mean a reused counter
    assertTrue(restarted.nextCounter(keyset()) > after);
  }

  @Test
  void aLostReceiveAnswerIsRecoveredUnderTheSameOperation() throws Exception {
    Token token = mint.token(100);
    mint.mint.faults().loseNextResponse("/v1/swap");
    assertThrows(MintUnavailableException.class, () -> wallet.receive("lost", token));
    assertEquals(0, wallet.balance(mint.url()));
    assertEquals(100, wallet.receive("lost", token).net(), "retried under the same id: restored, not refused");
    assertEquals(100, wallet.balance(mint.url()));
  }

  @Test
  void aLostMintAnswerIsRestoredNotMintedAgain() throws Exception {
    MintInvoice invoice = wallet.requestMint(mint.url(), 200);
    mint.network.faucet().pay(invoice.bolt11());
    mint.mint.faults().loseNextResponse("/v1/mint/bolt11");
    assertThrows(MintUnavailableException.class, () -> wallet.completeMint(invoice.opId()));
    assertEquals(200, wallet.completeMint(invoice.opId()), "20002 already issued, then NUT-09 restore");
    assertEquals(200, wallet.balance(mint.url()));
  }

  @Test
  void aReplayedSwapIsAnsweredFromTheMintsCache() throws Exception {
    mint.mint.responseCache(true);
    mint.fund(wallet, 1000);
    mint.mint.faults().loseNextResponse("/v1/swap");
    Token t = wallet.send(mint.url(), 5); // MintClient replays the identical request (NUT-19)
    assertEquals(5, t.amount());
    assertEquals(995, wallet.balance(mint.url()));
  }

  @Test
  void refusesBlsKeysets() {
    Mints mints = TestMint.mints(List.of(mint.url()));
    assertThrows(UnsupportedKeysetException.class,
        () -> mints.keyset(mint.url(), "02" + "ab".repeat(32)));
  }
}
