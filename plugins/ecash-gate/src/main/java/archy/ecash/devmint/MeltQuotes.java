package archy.ecash.devmint;

import archy.ecash.lightning.Bolt11;
import archy.ecash.mint.MeltQuote;
import archy.ecash.mint.NutError;
import archy.ecash.token.BlindSignature;
import archy.ecash.token.BlindedMessage;
import archy.ecash.token.Proof;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * NUT-05/08/23 bolt11 melts, paid through the mint's node on the {@link LightningNetwork}. A melt reserves its
 * inputs as PENDING, pays with the quote's {@code fee_reserve} as the fee limit, then settles by the outcome:
 * paid → inputs SPENT, change on the NUT-08 blank outputs; failed → inputs UNSPENT, quote UNPAID (a retry may
 * reuse it) and error 20004; in flight, or a lost answer from the node → everything stays PENDING and the
 * network's record of the payment decides on the next read of the quote or of the inputs' states.
 */
final class MeltQuotes {
  private static final class Entry {
    final String id;
    final String request;
    final Bolt11 bolt11;
    final long amount;
    final long feeReserve;
    final long expiry;
    MeltQuote.State state = MeltQuote.State.UNPAID;
    String preimage;
    List<BlindSignature> change = List.of();
    // the melt in flight, while PENDING
    MintKeysets.VerifiedInputs inputs;
    List<String> witnesses;
    List<BlindedMessage> blanks;
    /** A pay() call is running: its own result decides, not the network's record of an older attempt. */
    boolean paying;

    Entry(String id, String request, Bolt11 bolt11, long amount, long feeReserve, long expiry) {
      this.id = id;
      this.request = request;
      this.bolt11 = bolt11;
      this.amount = amount;
      this.feeReserve = feeReserve;
      this.expiry = expiry;
    }
  }

  private final DevMint.Options options;
  private final LightningNode node;
  private final LightningNetwork network;
  private final MintKeysets keysets;
  private final ProofLedger ledger;
  private final Map<String, Entry> quotes = new HashMap<>(); // guarded by this

  MeltQuotes(DevMint.Options options, LightningNode node, LightningNetwork network, MintKeysets keysets,
             ProofLedger ledger) {
    this.options = options;
    this.node = node;
    this.network = network;
    this.keysets = keysets;
    this.ledger = ledger;
  }

  MeltQuote create(Wire.MeltQuoteRequest r) throws MintError {
    if (r.request() == null) throw MintError.bad("request (a bolt11 invoice) is missing");
    if (!options.unit().equals(r.unit())) throw MintError.of(NutError.UNIT_UNSUPPORTED);
    Bolt11 bolt11;
    try {
      bolt11 = Bolt11.decode(r.request());
    } catch (IllegalArgumentException e) {
      throw MintError.bad("invalid bolt11 invoice: " + e.getMessage());
    }
    if (bolt11.amountMsat() == null) throw MintError.of(NutError.AMOUNTLESS_INVOICE_UNSUPPORTED);
    JsonNode amountless = r.options() == null ? null : r.options().path("amountless").path("amount_msat");
    if (amountless != null && amountless.isIntegralNumber() && amountless.asLong() != bolt11.amountMsat()) {
      throw MintError.of(NutError.AMOUNT_NOT_INVOICE_AMOUNT);
    }
    long amount = bolt11.amountSat();
    if (amount > options.maxAmount()) throw MintError.of(NutError.AMOUNT_OUTSIDE_LIMITS);
    long now = now();
    if (bolt11.expired(network.clock().instant())) throw MintError.of(NutError.QUOTE_EXPIRED, "the invoice has expired");
    if (paid(bolt11)) throw MintError.of(NutError.INVOICE_ALREADY_PAID);
    // paying one's own invoice settles inside the node at no cost, as real mints do for internal payments
    long feeReserve = bolt11.payee().equals(node.pubkey()) ? 0
        : Math.max(options.feeReserveMinSat(), Math.ceilDiv(Math.multiplyExact(amount, options.feeReservePpm()), 1_000_000L));
    long expiry = Math.min(now + options.quoteExpiry().toSeconds(), bolt11.expiresAt().getEpochSecond());
    Entry e = new Entry(QuoteId.next(network.clock().instant()), r.request().strip(), bolt11, amount, feeReserve, expiry);
    synchronized (this) {
      quotes.put(e.id, e);
      return view(e);
    }
  }

  synchronized MeltQuote get(String id) throws MintError {
    Entry e = entry(id);
    reconcile(e);
    return view(e);
  }

  /** Brings every melt in flight up to date with the network, before proof states are reported. */
  synchronized void reconcileAll() {
    for (Entry e : quotes.values()) reconcile(e);
  }

  /** NUT-05 {@code POST /v1/melt/bolt11}. */
  MeltQuote melt(Wire.MeltRequest r) throws MintError {
    List<Proof> inputs = r.inputs();
    MintKeysets.VerifiedInputs verified = keysets.verifyInputs(inputs, options.maxInputsOutputs());
    List<BlindedMessage> blanks = r.outputs() == null ? List.of() : List.copyOf(r.outputs());
    keysets.checkOutputs(blanks, options.maxInputsOutputs(), true);
    Entry e;
    synchronized (this) {
      e = entry(r.quote());
      reconcile(e);
      switch (e.state) {
        case PENDING -> throw MintError.of(NutError.QUOTE_PENDING);
        case PAID -> throw MintError.of(NutError.INVOICE_ALREADY_PAID);
        default -> { }
      }
      if (now() >= e.expiry) throw MintError.of(NutError.QUOTE_EXPIRED);
      long needed = Math.addExact(e.amount, e.feeReserve);
      if (verified.amount() - verified.fee() < needed) {
        throw MintError.of(NutError.TRANSACTION_UNBALANCED, "not enough inputs: provided "
            + verified.amount() + " with " + verified.fee() + " input fee, needed " + needed + " plus the input fee");
      }
      ledger.reserve(verified.ys(), blanks);
      e.state = MeltQuote.State.PENDING;
      e.inputs = verified;
      e.witnesses = inputs.stream().map(Proof::witness).toList();
      e.blanks = blanks;
      e.paying = true;
    }
    if (Boolean.TRUE.equals(r.preferAsync())) {
      Thread.ofVirtual().name("devmint-melt").start(() -> pay(e));
      synchronized (this) {
        return view(e);
      }
    }
    PaymentOutcome outcome = pay(e);
    if (outcome instanceof PaymentOutcome.Failed f) {
      throw MintError.of(NutError.LIGHTNING_PAYMENT_FAILED, "Lightning payment failed: " + f.reason());
    }
    synchronized (this) {
      return view(e);
    }
  }

  private PaymentOutcome pay(Entry e) {
    PaymentOutcome outcome;
    try {
      outcome = node.pay(e.request, e.feeReserve);
    } catch (PaymentUncertainException lost) {
      outcome = null; // unknown: stay PENDING and let the network's record decide on the next read
    }
    synchronized (this) {
      e.paying = false;
      if (outcome != null) apply(e, outcome);
    }
    return outcome;
  }

  private void reconcile(Entry e) {
    if (e.state != MeltQuote.State.PENDING || e.paying) return;
    node.payment(e.bolt11.paymentHash()).ifPresent(outcome -> apply(e, outcome));
  }

  private void apply(Entry e, PaymentOutcome outcome) {
    if (e.state != MeltQuote.State.PENDING) return;
    switch (outcome) {
      case PaymentOutcome.Paid paid -> settle(e, paid);
      case PaymentOutcome.Failed failed -> {
        ledger.release(e.inputs.ys(), e.blanks);
        e.state = MeltQuote.State.UNPAID;
        clearInFlight(e);
      }
      case PaymentOutcome.Pending pending -> { }
    }
  }

  /**
   * NUT-08: what the inputs paid beyond amount, actual routing fee and input fee comes back on the blank outputs,
   * split into the keyset's denominations (ascending). With too few blanks for every piece, the largest pieces are
   * returned; a wallet that sends the NUT-08 number of blanks always has enough for an unused fee reserve.
   */
  private void settle(Entry e, PaymentOutcome.Paid paid) {
    long fee = Math.ceilDiv(paid.feeMsat(), 1000L);
    long changeAmount = e.inputs.amount() - e.inputs.fee() - e.amount - fee;
    List<Long> pieces = keysets.split(changeAmount);
    if (pieces.size() > e.blanks.size()) pieces = pieces.subList(pieces.size() - e.blanks.size(), pieces.size());
    List<BlindSignature> change = new ArrayList<>(pieces.size());
    for (int i = 0; i < pieces.size(); i++) change.add(keysets.sign(e.blanks.get(i), pieces.get(i)));
    ledger.settle(e.inputs.ys(), e.witnesses, e.blanks, change);
    e.state = MeltQuote.State.PAID;
    e.preimage = paid.preimage();
    e.change = List.copyOf(change);
    clearInFlight(e);
  }

  private static void clearInFlight(Entry e) {
    e.inputs = null;
    e.witnesses = null;
    e.blanks = null;
  }

  private boolean paid(Bolt11 bolt11) {
    try {
      return network.invoiceState(bolt11.paymentHash()) == InvoiceState.PAID;
    } catch (IllegalArgumentException notOnThisNetwork) {
      return false; // the payment itself will find no route
    }
  }

  private Entry entry(String id) throws MintError {
    Entry e = id == null ? null : quotes.get(id);
    if (e == null) throw MintError.bad("quote not found");
    return e;
  }

  private MeltQuote view(Entry e) {
    return new MeltQuote(e.id, e.request, e.amount, options.unit(), e.feeReserve, e.state, e.expiry, e.preimage,
        e.change);
  }

  private long now() {
    return network.clock().instant().getEpochSecond();
  }
}
