package archy.ecash.devmint;

import archy.ecash.crypto.Digests;
import archy.ecash.crypto.Scalar;
import archy.ecash.lightning.Bolt11;
import archy.nostr.Hex;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An in-process fake Lightning network shared by several dev mints, so that mint A can pay an invoice of mint B
 * and B sees it paid, which is what a cross-mint swap rests on. Unlike a "pay anything" fake backend, an invoice
 * is paid here only when some node pays it, and a payment can fail the ways real ones do: a fault armed on the
 * payer ({@link Fault}), no route (an invoice no node issued, unless {@link #payOutside} is on), expiry, a route fee above the payer's limit, or
 * too little outbound (payer) or inbound (payee) liquidity.
 *
 * <p>Invoices are real BOLT11 strings ({@code lnbcrt…}, signed by the payee node). One lock guards all state:
 * this is a test bed, and a single lock makes every payment trivially atomic.
 */
public final class LightningNetwork {
  private static final SecureRandom RANDOM = new SecureRandom();

  final Object lock = new Object();
  private final NetworkClock clock = new NetworkClock();
  private final Map<String, LightningNode> nodes = new LinkedHashMap<>();
  private final Map<String, InvoiceEntry> invoices = new HashMap<>(); // by payment hash
  private final Map<String, PaymentEntry> payments = new HashMap<>(); // by payment hash: the latest attempt
  private final LightningNode faucet;
  private long baseFeeMsat = 1000;
  private long feePpm = 0;
  private boolean payOutside;
  private static final String OUTSIDE = "outside";

  private static final class InvoiceEntry {
    final LightningNode payee;
    final Bolt11 bolt11;
    final String preimage;
    InvoiceState state = InvoiceState.UNPAID;

    InvoiceEntry(LightningNode payee, Bolt11 bolt11, String preimage) {
      this.payee = payee;
      this.bolt11 = bolt11;
      this.preimage = preimage;
    }
  }

  private record PaymentEntry(LightningNode payer, InvoiceEntry invoice, long amountMsat, long feeMsat,
                              PaymentOutcome outcome) {
    PaymentEntry with(PaymentOutcome o) {
      return new PaymentEntry(payer, invoice, amountMsat, feeMsat, o);
    }
  }

  public LightningNetwork() {
    faucet = new LightningNode(this, "faucet", nodeKey("faucet"), 0, true);
    nodes.put("faucet", faucet);
  }

  /** Network time: invoices expire by it, and dev mints on this network date their quotes by it. */
  public Clock clock() {
    return clock;
  }

  /** Moves network time forward, so that invoices and quotes expire without waiting. */
  public void advanceClock(Duration d) {
    clock.advance(d);
  }

  /** A new node with {@code balanceSat} of outbound liquidity; names are unique on the network. */
  public LightningNode createNode(String name, long balanceSat) {
    if (name == null || name.isBlank()) throw new IllegalArgumentException("a node needs a name");
    synchronized (lock) {
      if (nodes.containsKey(name)) throw new IllegalArgumentException("a node named " + name + " exists already");
      LightningNode node = new LightningNode(this, name, nodeKey(name), Math.multiplyExact(balanceSat, 1000L), false);
      nodes.put(name, node);
      return node;
    }
  }

  public LightningNode node(String name) {
    synchronized (lock) {
      LightningNode node = nodes.get(name);
      if (node == null) throw new IllegalArgumentException("no node named " + name);
      return node;
    }
  }

  /** A node with unlimited funds: "someone outside paying", e.g. a user topping up a mint quote. */
  public LightningNode faucet() {
    return faucet;
  }

  /**
   * Whether invoices no node of this network issued are paid (as nutshell's FakeWallet does: to "the outside", so
   * a dev mint can pay any real-looking invoice) or fail with "no route to the payee" (the default, and what tests
   * of a missing route need).
   */
  public void payOutside(boolean on) {
    synchronized (lock) {
      payOutside = on;
    }
  }

  /** The fee a payment between two different nodes costs its payer; paying oneself is free. Default 1000 msat + 0 ppm. */
  public void routingFee(long baseMsat, long ppm) {
    if (baseMsat < 0 || ppm < 0) throw new IllegalArgumentException("fees are not negative");
    synchronized (lock) {
      baseFeeMsat = baseMsat;
      feePpm = ppm;
    }
  }

  /** The outcome of the latest payment attempt for this invoice, if any was made. */
  public Optional<PaymentOutcome> payment(String paymentHash) {
    synchronized (lock) {
      PaymentEntry p = payments.get(paymentHash);
      return p == null ? Optional.empty() : Optional.of(p.outcome());
    }
  }

  /** As {@link #payment(String)}, only when {@code payer} made that attempt. */
  Optional<PaymentOutcome> payment(String paymentHash, LightningNode payer) {
    synchronized (lock) {
      PaymentEntry p = payments.get(paymentHash);
      return p == null || p.payer() != payer ? Optional.empty() : Optional.of(p.outcome());
    }
  }

  /** @throws IllegalArgumentException when no node issued an invoice with this hash */
  public InvoiceState invoiceState(String paymentHash) {
    synchronized (lock) {
      InvoiceEntry invoice = invoices.get(paymentHash);
      if (invoice == null) throw new IllegalArgumentException("no invoice with this payment hash");
      return stateOf(invoice);
    }
  }

  /** Payment hashes of the payments held in flight. */
  public List<String> pendingPayments() {
    synchronized (lock) {
      List<String> out = new ArrayList<>();
      payments.forEach((hash, p) -> {
        if (p.outcome() instanceof PaymentOutcome.Pending) out.add(hash);
      });
      return out;
    }
  }

  /** A held payment completes: the payee is credited and the invoice is paid. */
  public void settlePending(String paymentHash) {
    synchronized (lock) {
      settle(held(paymentHash));
    }
  }

  /** A held payment fails: the payer gets its funds back and the invoice can be paid again. */
  public void failPending(String paymentHash) {
    synchronized (lock) {
      PaymentEntry p = held(paymentHash);
      refund(p);
      p.invoice().state = InvoiceState.UNPAID;
      payments.put(paymentHash, p.with(new PaymentOutcome.Failed(paymentHash, "payment failed in flight")));
    }
  }

  Invoice createInvoice(LightningNode payee, long amountSat, String description, Duration expiry) {
    if (amountSat <= 0) throw new IllegalArgumentException("invoice amount must be positive");
    byte[] preimage = new byte[32];
    byte[] secret = new byte[32];
    RANDOM.nextBytes(preimage);
    RANDOM.nextBytes(secret);
    String hash = Hex.encode(Digests.sha256(preimage));
    Bolt11 fields = new Bolt11("bcrt", Math.multiplyExact(amountSat, 1000L), clock.instant().getEpochSecond(), hash,
        Hex.encode(secret), description == null ? "" : description, null, expiry.toSeconds(), payee.pubkey());
    String request = fields.encode(payee.key());
    synchronized (lock) {
      invoices.put(hash, new InvoiceEntry(payee, fields, Hex.encode(preimage)));
    }
    return new Invoice(request, fields);
  }

  PaymentOutcome pay(LightningNode payer, String request, long maxFeeMsat) throws PaymentUncertainException {
    Bolt11 bolt11;
    try {
      bolt11 = Bolt11.decode(request);
    } catch (IllegalArgumentException e) {
      return new PaymentOutcome.Failed("", "invalid invoice: " + e.getMessage());
    }
    String hash = bolt11.paymentHash();
    PaymentOutcome outcome;
    synchronized (lock) {
      InvoiceEntry invoice = invoices.get(hash);
      if (invoice == null && payOutside) invoice = outside(bolt11, hash);
      if (invoice == null || !invoice.bolt11.equals(bolt11)) return failed(payer, hash, "no route to the payee");
      switch (stateOf(invoice)) {
        case PAID -> { return failed(payer, hash, "invoice already paid"); }
        case PENDING -> { return failed(payer, hash, "a payment to this invoice is already in flight"); }
        case EXPIRED -> { return failed(payer, hash, "invoice expired"); }
        case UNPAID -> { }
      }
      if (bolt11.amountMsat() == null) return failed(payer, hash, "amountless invoices cannot be paid here");
      long amount = bolt11.amountMsat();
      long fee = payer == invoice.payee ? 0 : Math.addExact(baseFeeMsat, Math.multiplyExact(amount, feePpm) / 1_000_000);
      if (fee > maxFeeMsat) return failed(payer, hash, "no route within the fee limit");
      if (!payer.unlimited() && payer.balanceMsat < amount + fee) return failed(payer, hash, "insufficient outbound liquidity");
      Long limit = invoice.payee.receiveLimitMsat;
      if (payer != invoice.payee && limit != null && limit < amount) return failed(payer, hash, "insufficient inbound liquidity");
      Fault fault = payer.faults.pollFirst();
      if (fault == Fault.FAIL) return failed(payer, hash, "payment failed (injected)");
      if (!payer.unlimited()) payer.balanceMsat -= amount + fee;
      PaymentEntry entry = new PaymentEntry(payer, invoice, amount, fee, new PaymentOutcome.Pending(hash));
      payments.put(hash, entry);
      if (fault == Fault.HOLD) {
        invoice.state = InvoiceState.PENDING;
        return entry.outcome();
      }
      outcome = settle(entry);
      if (fault == Fault.LOSE_RESPONSE) outcome = null;
    }
    if (outcome == null) throw new PaymentUncertainException(hash);
    return outcome;
  }

  /**
   * An invoice no node here issued, paid as nutshell's FakeWallet pays any invoice: to a node standing for the
   * world outside, with an all-zero preimage (the real one is unknowable). Guarded by {@link #lock}.
   */
  private InvoiceEntry outside(Bolt11 bolt11, String hash) {
    LightningNode world = nodes.computeIfAbsent(OUTSIDE, n -> new LightningNode(this, n, nodeKey(n), 0, false));
    InvoiceEntry entry = new InvoiceEntry(world, bolt11, "00".repeat(32));
    invoices.put(hash, entry);
    return entry;
  }

  private PaymentOutcome settle(PaymentEntry p) {
    InvoiceEntry invoice = p.invoice();
    LightningNode payee = invoice.payee;
    payee.balanceMsat = Math.addExact(payee.balanceMsat, p.amountMsat());
    if (payee != p.payer() && payee.receiveLimitMsat != null) payee.receiveLimitMsat -= p.amountMsat();
    invoice.state = InvoiceState.PAID;
    PaymentOutcome paid = new PaymentOutcome.Paid(invoice.bolt11.paymentHash(), invoice.preimage, p.feeMsat());
    payments.put(invoice.bolt11.paymentHash(), p.with(paid));
    return paid;
  }

  private void refund(PaymentEntry p) {
    if (!p.payer().unlimited()) p.payer().balanceMsat += p.amountMsat() + p.feeMsat();
  }

  private PaymentEntry held(String paymentHash) {
    PaymentEntry p = payments.get(paymentHash);
    if (p == null || !(p.outcome() instanceof PaymentOutcome.Pending)) {
      throw new IllegalStateException("no payment with this hash is held in flight");
    }
    return p;
  }

  private PaymentOutcome failed(LightningNode payer, String hash, String reason) {
    PaymentOutcome.Failed f = new PaymentOutcome.Failed(hash, reason);
    // a failed retry must not hide an earlier success or a payment still in flight
    PaymentEntry previous = payments.get(hash);
    if (previous == null || previous.outcome() instanceof PaymentOutcome.Failed) {
      InvoiceEntry invoice = invoices.get(hash);
      if (invoice != null) payments.put(hash, new PaymentEntry(payer, invoice, 0, 0, f));
    }
    return f;
  }

  private InvoiceState stateOf(InvoiceEntry invoice) {
    if (invoice.state == InvoiceState.UNPAID && invoice.bolt11.expired(clock.instant())) return InvoiceState.EXPIRED;
    return invoice.state;
  }

  /** Deterministic per name, so a node (and a dev mint's invoices) keep their id across runs. */
  private static Scalar nodeKey(String name) {
    return Scalar.reduce(Digests.sha256(("archy-fake-lightning-node:" + name).getBytes(StandardCharsets.UTF_8)));
  }
}
