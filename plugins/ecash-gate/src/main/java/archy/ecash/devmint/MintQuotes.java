package archy.ecash.devmint;

import archy.ecash.crypto.Point;
import archy.ecash.mint.MintQuote;
import archy.ecash.mint.MintQuoteSignature;
import archy.ecash.mint.NutError;
import archy.ecash.token.BlindSignature;
import archy.ecash.token.BlindedMessage;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * NUT-04/23 bolt11 mint quotes and NUT-20 locks. A quote's invoice is issued by the mint's own Lightning node and
 * the quote turns PAID when the network says that invoice is paid (checked whenever the quote is read), then
 * ISSUED once its ecash is minted; {@code amount_paid}, {@code amount_issued} and {@code updated_at} follow
 * (cashubtc/nuts PR #377). With {@code autoPay} the network's faucet pays each invoice, at once or after a delay.
 */
final class MintQuotes {
  private static final class Entry {
    final String id;
    final Invoice invoice;
    final long amount;
    final String unit;
    final Point pubkey;
    final long expiry;
    MintQuote.State state = MintQuote.State.UNPAID;
    long amountPaid;
    long amountIssued;
    long updatedAt;

    Entry(String id, Invoice invoice, long amount, String unit, Point pubkey, long expiry, long now) {
      this.id = id;
      this.invoice = invoice;
      this.amount = amount;
      this.unit = unit;
      this.pubkey = pubkey;
      this.expiry = expiry;
      this.updatedAt = now;
    }
  }

  private final DevMint.Options options;
  private final LightningNode node;
  private final LightningNetwork network;
  private final MintKeysets keysets;
  private final ProofLedger ledger;
  private final Map<String, Entry> quotes = new HashMap<>(); // guarded by this

  MintQuotes(DevMint.Options options, LightningNode node, LightningNetwork network, MintKeysets keysets,
             ProofLedger ledger) {
    this.options = options;
    this.node = node;
    this.network = network;
    this.keysets = keysets;
    this.ledger = ledger;
  }

  MintQuote create(Wire.MintQuoteRequest r) throws MintError {
    if (r.amount() == null || r.amount() <= 0) throw MintError.bad("amount must be a positive integer");
    if (!options.unit().equals(r.unit())) throw MintError.of(NutError.UNIT_UNSUPPORTED);
    if (r.amount() > options.maxAmount()) throw MintError.of(NutError.AMOUNT_OUTSIDE_LIMITS);
    Point pubkey = null;
    if (r.pubkey() != null) {
      try {
        pubkey = Point.fromHex(r.pubkey());
      } catch (IllegalArgumentException e) {
        throw MintError.bad("pubkey is not a compressed secp256k1 point");
      }
    }
    Invoice invoice = node.createInvoice(r.amount(), r.description(), options.quoteExpiry());
    long now = now();
    Entry e = new Entry(QuoteId.next(network.clock().instant()), invoice, r.amount(), r.unit(), pubkey,
        invoice.bolt11().expiresAt().getEpochSecond(), now);
    synchronized (this) {
      quotes.put(e.id, e);
    }
    if (options.autoPay() != null && options.autoPay().isZero()) {
      faucetPays(invoice.request());
    } else if (options.autoPay() != null) {
      Duration delay = options.autoPay();
      Thread.ofVirtual().name("devmint-autopay").start(() -> {
        try {
          Thread.sleep(delay);
        } catch (InterruptedException stopped) {
          return;
        }
        faucetPays(invoice.request()); // unless someone paid it meanwhile: then the network refuses, harmlessly
      });
    }
    synchronized (this) {
      return view(e);
    }
  }

  private void faucetPays(String request) {
    try {
      network.faucet().pay(request);
    } catch (PaymentUncertainException lost) {
      // only armed faults lose responses; whoever armed one on the faucet sees the quote stay as the network says
    }
  }

  synchronized MintQuote get(String id) throws MintError {
    return view(entry(id));
  }

  /** NUT-04 {@code POST /v1/mint/bolt11}. */
  List<BlindSignature> mint(Wire.MintRequest r) throws MintError {
    List<BlindedMessage> outputs = r.outputs();
    if (outputs == null || outputs.isEmpty()) throw MintError.bad("no outputs");
    Entry e;
    synchronized (this) {
      e = entry(r.quote());
      checkMintable(e);
    }
    if (e.pubkey != null && (r.signature() == null || !MintQuoteSignature.verify(e.id, outputs, r.signature(), e.pubkey))) {
      throw MintError.of(NutError.MINT_SIGNATURE_INVALID);
    }
    keysets.checkOutputs(outputs, options.maxInputsOutputs(), false);
    long total = 0;
    for (BlindedMessage o : outputs) total = Math.addExact(total, o.amount());
    if (total != e.amount) {
      throw MintError.of(NutError.TRANSACTION_UNBALANCED, "outputs add up to " + total + ", the quote is for " + e.amount);
    }
    List<BlindSignature> signatures = keysets.sign(outputs);
    synchronized (this) {
      checkMintable(e); // a concurrent request for the same quote may have won meanwhile
      ledger.commit(List.of(), List.of(), outputs, signatures);
      e.state = MintQuote.State.ISSUED;
      e.amountIssued = e.amount;
      e.updatedAt = now();
    }
    return signatures;
  }

  private void checkMintable(Entry e) throws MintError {
    refresh(e);
    switch (e.state) {
      case ISSUED -> throw MintError.of(NutError.QUOTE_ALREADY_ISSUED);
      case UNPAID -> throw MintError.of(now() >= e.expiry ? NutError.QUOTE_EXPIRED : NutError.QUOTE_NOT_PAID);
      default -> { }
    }
  }

  private Entry entry(String id) throws MintError {
    Entry e = id == null ? null : quotes.get(id);
    if (e == null) throw MintError.bad("quote not found");
    return e;
  }

  private void refresh(Entry e) {
    if (e.state == MintQuote.State.UNPAID && network.invoiceState(e.invoice.paymentHash()) == InvoiceState.PAID) {
      e.state = MintQuote.State.PAID;
      e.amountPaid = e.amount;
      e.updatedAt = now();
    }
  }

  private MintQuote view(Entry e) {
    refresh(e);
    return new MintQuote(e.id, e.invoice.request(), e.amount, e.unit, e.state, e.expiry,
        e.pubkey == null ? null : e.pubkey.toHex(), e.amountPaid, e.amountIssued, e.updatedAt);
  }

  private long now() {
    return network.clock().instant().getEpochSecond();
  }
}
