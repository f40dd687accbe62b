package archy.ecash.devmint;

import static archy.ecash.devmint.DevMintTest.assertRejected;
import static archy.ecash.devmint.TestWallet.sum;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.ecash.crypto.Digests;
import archy.ecash.lightning.Bolt11;
import archy.ecash.mint.MeltQuote;
import archy.ecash.mint.MintQuote;
import archy.ecash.mint.NutError;
import archy.ecash.mint.ProofState;
import archy.ecash.token.Proof;
import archy.ecash.wallet.BlindedOutput;
import archy.ecash.wallet.Outputs;
import archy.nostr.Hex;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Melts over the shared fake network: mint A pays mint B's invoice (the core of a cross-mint swap), with NUT-08
 * change, and every way the payment can go: failed, held in flight then settled or failed, a lost answer from A's
 * node, exhausted liquidity, and asynchronous melts.
 */
class DevMintMeltTest {
  private LightningNetwork network;
  private DevMint mintA;
  private DevMint mintB;
  private TestWallet walletA;
  private TestWallet walletB;

  @BeforeEach
  void start() throws Exception {
    network = new LightningNetwork();
    mintA = DevMint.start(network, DevMint.Options.defaults("mint-a"));
    mintB = DevMint.start(network, DevMint.Options.defaults("mint-b"));
    walletA = new TestWallet(mintA);
    walletB = new TestWallet(mintB);
  }

  @AfterEach
  void stop() {
    mintA.close();
    mintB.close();
  }

  /** A melt prepared on A for a 100-sat invoice of B: the quotes, the inputs (exactly 102) and one blank output. */
  private record Prepared(MintQuote destination, MeltQuote quote, List<Proof> inputs, List<BlindedOutput> blanks) {}

  private Prepared prepare() throws Exception {
    MintQuote destination = walletB.client.createMintQuote(100, "sat", null, null);
    MeltQuote quote = walletA.client.createMeltQuote(destination.request(), "sat");
    assertEquals(100, quote.amount());
    assertEquals(2, quote.feeReserve(), "max(2 sat, 1%)");
    assertEquals(MeltQuote.State.UNPAID, quote.state());
    List<Proof> inputs = walletA.mint(quote.amount() + quote.feeReserve());
    long[] blanks = new long[Outputs.blankCount(quote.feeReserve())];
    Arrays.fill(blanks, 1); // NUT-08: the mint overwrites a blank's amount
    return new Prepared(destination, quote, inputs, walletA.outputsOf(blanks));
  }

  private MeltQuote melt(Prepared p, boolean async) throws Exception {
    return walletA.client.melt(p.quote().quote(), p.inputs(), Outputs.messages(p.blanks()), async);
  }

  private ProofState.State stateOf(List<Proof> proofs) throws Exception {
    List<ProofState> states = walletA.client.checkProofs(proofs);
    assertTrue(states.stream().allMatch(s -> s.state() == states.getFirst().state()));
    return states.getFirst().state();
  }

  /** B's quote is paid: mint the 100 sat there. */
  private void mintOnB(Prepared p) throws Exception {
    assertEquals(MintQuote.State.PAID, walletB.client.mintQuote(p.destination().quote()).state());
    List<BlindedOutput> outputs = walletB.outputs(100);
    assertEquals(100, sum(Outputs.unblind(outputs,
        walletB.client.mint(p.destination().quote(), Outputs.messages(outputs), null), walletB.keyset)));
  }

  @Test
  void crossMintPaymentWithChange() throws Exception {
    Prepared p = prepare();
    long balanceBefore = mintA.node().balanceMsat();
    MeltQuote paid = melt(p, false);
    assertEquals(MeltQuote.State.PAID, paid.state());
    String hash = Bolt11.decode(p.destination().request()).paymentHash();
    assertEquals(hash, Hex.encode(Digests.sha256(Hex.decode(paid.paymentPreimage()))), "the preimage proves payment");
    // 102 in, 100 paid, 1 sat routing fee: 1 sat of change on the blank output
    List<Proof> change = Outputs.unblindChange(p.blanks(), paid.change(), walletA.keyset);
    assertEquals(1, sum(change));
    assertEquals(balanceBefore - 101_000, mintA.node().balanceMsat());
    assertEquals(ProofState.State.SPENT, stateOf(p.inputs()));
    assertEquals(ProofState.State.UNSPENT, stateOf(change));
    assertEquals(paid.change(), walletA.client.meltQuote(p.quote().quote()).change(), "change also on the quote");
    mintOnB(p);
    assertEquals(paid, melt(p, false), "NUT-19: the identical request gets the cached answer");
    assertRejected(NutError.INVOICE_ALREADY_PAID, () -> walletA.client.melt(p.quote().quote(), p.inputs(), List.of(), false));
    assertRejected(NutError.INVOICE_ALREADY_PAID, () -> walletA.client.createMeltQuote(p.destination().request(), "sat"));
  }

  @Test
  void failedPaymentReleasesTheInputsAndTheQuoteCanBeRetried() throws Exception {
    Prepared p = prepare();
    mintA.node().failNext();
    assertRejected(NutError.LIGHTNING_PAYMENT_FAILED, () -> melt(p, false));
    assertEquals(ProofState.State.UNSPENT, stateOf(p.inputs()));
    assertEquals(MeltQuote.State.UNPAID, walletA.client.meltQuote(p.quote().quote()).state());
    assertEquals(MintQuote.State.UNPAID, walletB.client.mintQuote(p.destination().quote()).state());
    assertEquals(MeltQuote.State.PAID, melt(p, false).state());
    mintOnB(p);
  }

  @Test
  void heldPaymentStaysPendingUntilItSettles() throws Exception {
    Prepared p = prepare();
    mintA.node().holdNext();
    MeltQuote pending = melt(p, false);
    assertEquals(MeltQuote.State.PENDING, pending.state());
    assertNull(pending.paymentPreimage());
    assertEquals(ProofState.State.PENDING, stateOf(p.inputs()));
    assertRejected(NutError.PROOFS_PENDING, () -> walletA.swap(p.inputs(), walletA.outputs(102)));
    assertRejected(NutError.QUOTE_PENDING, () -> melt(p, false));
    assertEquals(MintQuote.State.UNPAID, walletB.client.mintQuote(p.destination().quote()).state());

    network.settlePending(Bolt11.decode(p.destination().request()).paymentHash());
    MeltQuote settled = walletA.client.meltQuote(p.quote().quote());
    assertEquals(MeltQuote.State.PAID, settled.state());
    assertNotNull(settled.paymentPreimage());
    assertEquals(1, sum(Outputs.unblindChange(p.blanks(), settled.change(), walletA.keyset)));
    assertEquals(ProofState.State.SPENT, stateOf(p.inputs()));
    mintOnB(p);
  }

  @Test
  void heldPaymentThatFailsReturnsTheInputs() throws Exception {
    Prepared p = prepare();
    mintA.node().holdNext();
    assertEquals(MeltQuote.State.PENDING, melt(p, false).state());
    network.failPending(Bolt11.decode(p.destination().request()).paymentHash());
    assertEquals(ProofState.State.UNSPENT, stateOf(p.inputs()), "checkstate learns the outcome by itself");
    assertEquals(MeltQuote.State.UNPAID, walletA.client.meltQuote(p.quote().quote()).state());
    assertEquals(102, sum(walletA.swap(p.inputs(), walletA.outputs(102))));
  }

  @Test
  void lostAnswerFromTheNodeLeavesThePaymentPendingUntilTheNetworkIsAsked() throws Exception {
    Prepared p = prepare();
    mintA.node().loseNextResponse();
    assertEquals(MeltQuote.State.PENDING, melt(p, false).state());
    MeltQuote later = walletA.client.meltQuote(p.quote().quote());
    assertEquals(MeltQuote.State.PAID, later.state());
    assertEquals(1, sum(Outputs.unblindChange(p.blanks(), later.change(), walletA.keyset)));
    mintOnB(p);
  }

  @Test
  void exhaustedLiquidityFailsThePayment() throws Exception {
    Prepared p = prepare();
    mintB.node().receiveLimit(50L);
    assertRejected(NutError.LIGHTNING_PAYMENT_FAILED, () -> melt(p, false));
    assertEquals(ProofState.State.UNSPENT, stateOf(p.inputs()));
    mintB.node().receiveLimit(null);
    assertEquals(MeltQuote.State.PAID, melt(p, false).state());
  }

  @Test
  void asynchronousMeltAnswersPendingAtOnce() throws Exception {
    Prepared p = prepare();
    mintA.node().holdNext();
    assertEquals(MeltQuote.State.PENDING, melt(p, true).state());
    String hash = Bolt11.decode(p.destination().request()).paymentHash();
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (network.pendingPayments().isEmpty() && System.nanoTime() < deadline) Thread.sleep(10);
    network.settlePending(hash);
    assertEquals(MeltQuote.State.PAID, walletA.client.meltQuote(p.quote().quote()).state());
  }

  @Test
  void notEnoughInputs() throws Exception {
    MintQuote destination = walletB.client.createMintQuote(100, "sat", null, null);
    MeltQuote quote = walletA.client.createMeltQuote(destination.request(), "sat");
    List<Proof> inputs = walletA.mint(101);
    assertRejected(NutError.TRANSACTION_UNBALANCED, () -> walletA.client.melt(quote.quote(), inputs, List.of(), false));
    assertEquals(ProofState.State.UNSPENT, stateOf(inputs));
  }

  @Test
  void internalPaymentsReserveNoFee() throws Exception {
    MintQuote own = walletA.client.createMintQuote(10, "sat", null, null);
    MeltQuote quote = walletA.client.createMeltQuote(own.request(), "sat");
    assertEquals(0, quote.feeReserve());
    assertEquals(MeltQuote.State.PAID, walletA.client.melt(quote.quote(), walletA.mint(10), List.of(), false).state());
    assertEquals(MintQuote.State.PAID, walletA.client.mintQuote(own.quote()).state());
  }

  @Test
  void quoteChecks() throws Exception {
    LightningNode shop = network.createNode("shop", 0);
    String amountless = new Bolt11("bcrt", null, network.clock().instant().getEpochSecond(),
        Hex.encode(Digests.sha256(new byte[] {1})), Hex.encode(new byte[32]), "tip", null, 600, null).encode(shop.key());
    assertRejected(NutError.AMOUNTLESS_INVOICE_UNSUPPORTED, () -> walletA.client.createMeltQuote(amountless, "sat"));
    String big = shop.createInvoice(2_000_000, null, Duration.ofMinutes(10)).request();
    assertRejected(NutError.AMOUNT_OUTSIDE_LIMITS, () -> walletA.client.createMeltQuote(big, "sat"));

    Invoice invoice = shop.createInvoice(20, null, Duration.ofMinutes(10));
    MeltQuote quote = walletA.client.createMeltQuote(invoice.request(), "sat");
    assertEquals(quote.expiry(), invoice.bolt11().expiresAt().getEpochSecond(), "a quote does not outlive its invoice");
    List<Proof> inputs = walletA.mint(22);
    network.advanceClock(Duration.ofMinutes(11));
    assertRejected(NutError.QUOTE_EXPIRED, () -> walletA.client.melt(quote.quote(), inputs, List.of(), false));
    assertRejected(NutError.QUOTE_EXPIRED, () -> walletA.client.createMeltQuote(invoice.request(), "sat"));
  }

  @Test
  void nut19ReplaysAPaidMelt() throws Exception {
    Prepared p = prepare();
    walletA.client.info();
    mintA.faults().loseNextResponse("/v1/melt/bolt11");
    MeltQuote paid = melt(p, false); // the first answer is lost; the replay gets the cached one
    assertEquals(MeltQuote.State.PAID, paid.state());
    assertEquals(1, sum(Outputs.unblindChange(p.blanks(), paid.change(), walletA.keyset)));
    mintOnB(p);
  }
}
