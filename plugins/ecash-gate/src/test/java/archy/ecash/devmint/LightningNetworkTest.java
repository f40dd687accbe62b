package archy.ecash.devmint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.ecash.crypto.Digests;
import archy.ecash.lightning.Bolt11;
import archy.nostr.Hex;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class LightningNetworkTest {
  private final LightningNetwork network = new LightningNetwork();
  private final LightningNode alice = network.createNode("alice", 10_000);
  private final LightningNode bob = network.createNode("bob", 0);

  @Test
  void aPaymentMovesMoneyAndRevealsThePreimage() throws Exception {
    Invoice invoice = bob.createInvoice(1000, "coffee", Duration.ofMinutes(10));
    Bolt11 decoded = Bolt11.decode(invoice.request());
    assertTrue(invoice.request().startsWith("lnbcrt10u1"), invoice.request());
    assertEquals(bob.pubkey(), decoded.payee());
    assertEquals("coffee", decoded.description());
    assertEquals(InvoiceState.UNPAID, network.invoiceState(invoice.paymentHash()));

    PaymentOutcome.Paid paid = assertInstanceOf(PaymentOutcome.Paid.class, alice.pay(invoice.request(), 10));
    assertEquals(invoice.paymentHash(), Hex.encode(Digests.sha256(Hex.decode(paid.preimage()))));
    assertEquals(1000, paid.feeMsat(), "default routing fee: 1 sat base");
    assertEquals((10_000 - 1000) * 1000L - 1000, alice.balanceMsat());
    assertEquals(1000 * 1000L, bob.balanceMsat());
    assertEquals(InvoiceState.PAID, network.invoiceState(invoice.paymentHash()));
    assertEquals(paid, network.payment(invoice.paymentHash()).orElseThrow());
    assertEquals(paid, alice.payment(invoice.paymentHash()).orElseThrow());
    assertTrue(bob.payment(invoice.paymentHash()).isEmpty(), "bob did not pay it");

    assertFailed("already paid", alice.pay(invoice.request(), 10));
    assertEquals(paid, network.payment(invoice.paymentHash()).orElseThrow(), "a refused retry does not hide the success");
  }

  @Test
  void feesAreChargedByTheConfiguredScheduleAndCappedByThePayer() throws Exception {
    network.routingFee(0, 10_000); // 1%
    Invoice invoice = bob.createInvoice(5000, null, Duration.ofMinutes(10));
    assertFailed("fee limit", alice.pay(invoice.request(), 49));
    PaymentOutcome.Paid paid = assertInstanceOf(PaymentOutcome.Paid.class, alice.pay(invoice.request(), 50));
    assertEquals(50_000, paid.feeMsat());
    Invoice own = alice.createInvoice(100, null, Duration.ofMinutes(10));
    assertEquals(0, assertInstanceOf(PaymentOutcome.Paid.class, alice.pay(own.request(), 0)).feeMsat(), "paying oneself is free");
  }

  @Test
  void liquidityLimitsOnBothEnds() throws Exception {
    Invoice tooBig = bob.createInvoice(10_000, null, Duration.ofMinutes(10));
    assertFailed("outbound", alice.pay(tooBig.request()));
    bob.receiveLimit(500L);
    assertFailed("inbound", alice.pay(bob.createInvoice(600, null, Duration.ofMinutes(10)).request()));
    assertInstanceOf(PaymentOutcome.Paid.class, alice.pay(bob.createInvoice(500, null, Duration.ofMinutes(10)).request()));
    assertFailed("inbound", alice.pay(bob.createInvoice(1, null, Duration.ofMinutes(10)).request()));
    alice.deposit(1_000_000);
    bob.receiveLimit(null);
    assertInstanceOf(PaymentOutcome.Paid.class, alice.pay(tooBig.request()));
  }

  @Test
  void invoicesExpireByTheNetworkClock() throws Exception {
    Invoice invoice = bob.createInvoice(10, null, Duration.ofMinutes(5));
    network.advanceClock(Duration.ofMinutes(5));
    assertEquals(InvoiceState.EXPIRED, network.invoiceState(invoice.paymentHash()));
    assertFailed("expired", alice.pay(invoice.request()));
  }

  @Test
  void unknownInvoicesHaveNoRoute() throws Exception {
    LightningNetwork elsewhere = new LightningNetwork();
    Invoice foreign = elsewhere.createNode("carol", 0).createInvoice(10, null, Duration.ofMinutes(5));
    assertFailed("no route", alice.pay(foreign.request()));
    assertFailed("invalid invoice", alice.pay("lnbcrt1notaninvoice"));
    assertThrows(IllegalArgumentException.class, () -> network.invoiceState(foreign.paymentHash()));
    assertThrows(IllegalArgumentException.class, () -> network.createNode("alice", 1));
  }

  @Test
  void injectedFailureMovesNothingAndTheInvoiceStaysPayable() throws Exception {
    Invoice invoice = bob.createInvoice(100, null, Duration.ofMinutes(5));
    alice.failNext();
    assertFailed("injected", alice.pay(invoice.request()));
    assertEquals(10_000_000L, alice.balanceMsat());
    assertInstanceOf(PaymentOutcome.Failed.class, network.payment(invoice.paymentHash()).orElseThrow());
    assertInstanceOf(PaymentOutcome.Paid.class, alice.pay(invoice.request()));
  }

  @Test
  void heldPaymentsSettleOrFailLater() throws Exception {
    Invoice first = bob.createInvoice(100, null, Duration.ofMinutes(5));
    alice.holdNext();
    assertInstanceOf(PaymentOutcome.Pending.class, alice.pay(first.request()));
    assertEquals(InvoiceState.PENDING, network.invoiceState(first.paymentHash()));
    assertEquals(List.of(first.paymentHash()), network.pendingPayments());
    assertEquals(10_000_000L - 101_000, alice.balanceMsat(), "funds are locked while in flight");
    assertFailed("in flight", alice.pay(first.request()));
    network.settlePending(first.paymentHash());
    assertEquals(InvoiceState.PAID, network.invoiceState(first.paymentHash()));
    assertInstanceOf(PaymentOutcome.Paid.class, network.payment(first.paymentHash()).orElseThrow());
    assertEquals(100_000L, bob.balanceMsat());

    Invoice second = bob.createInvoice(100, null, Duration.ofMinutes(5));
    alice.holdNext();
    alice.pay(second.request());
    network.failPending(second.paymentHash());
    assertEquals(InvoiceState.UNPAID, network.invoiceState(second.paymentHash()));
    assertEquals(10_000_000L - 101_000, alice.balanceMsat(), "refunded");
    assertThrows(IllegalStateException.class, () -> network.settlePending(second.paymentHash()));
  }

  @Test
  void aLostResponseHidesASuccessfulPayment() {
    Invoice invoice = bob.createInvoice(100, null, Duration.ofMinutes(5));
    alice.loseNextResponse();
    PaymentUncertainException lost = assertThrows(PaymentUncertainException.class, () -> alice.pay(invoice.request()));
    assertEquals(invoice.paymentHash(), lost.paymentHash());
    assertInstanceOf(PaymentOutcome.Paid.class, alice.payment(invoice.paymentHash()).orElseThrow());
    assertEquals(InvoiceState.PAID, network.invoiceState(invoice.paymentHash()));
  }

  @Test
  void concurrentPaymentsOfOneInvoicePayItOnce() throws Exception {
    LightningNode carol = network.createNode("carol", 10_000);
    Invoice invoice = bob.createInvoice(100, null, Duration.ofMinutes(5));
    List<Future<PaymentOutcome>> results = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      for (int i = 0; i < 16; i++) {
        LightningNode payer = i % 2 == 0 ? alice : carol;
        results.add(pool.submit(() -> payer.pay(invoice.request())));
      }
    }
    long paid = 0;
    for (Future<PaymentOutcome> f : results) if (f.get() instanceof PaymentOutcome.Paid) paid++;
    assertEquals(1, paid);
    assertEquals(100_000L, bob.balanceMsat());
  }

  private static void assertFailed(String why, PaymentOutcome outcome) {
    PaymentOutcome.Failed f = assertInstanceOf(PaymentOutcome.Failed.class, outcome, why);
    assertTrue(f.reason().contains(why.split(" ")[0]), why + " vs " + f.reason());
  }
}
