package archy.ecash.devmint;

import archy.ecash.crypto.Scalar;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * One node of a {@link LightningNetwork}: a key, a balance (its outbound liquidity), an optional limit on what it
 * can still receive (inbound liquidity), and a queue of {@link Fault}s for its next outgoing payments. A dev mint
 * is one node; tests add nodes for users. State lives under the network's lock, so every method is thread-safe.
 */
public final class LightningNode {
  private final LightningNetwork network;
  private final String name;
  private final Scalar key;
  private final boolean unlimited;
  // guarded by network.lock
  long balanceMsat;
  Long receiveLimitMsat;
  final Deque<Fault> faults = new ArrayDeque<>();

  LightningNode(LightningNetwork network, String name, Scalar key, long balanceMsat, boolean unlimited) {
    this.network = network;
    this.name = name;
    this.key = key;
    this.balanceMsat = balanceMsat;
    this.unlimited = unlimited;
  }

  public String name() {
    return name;
  }

  /** The node id: its compressed public key in hex, which also signs (and so names the payee of) its invoices. */
  public String pubkey() {
    return key.publicKey().toHex();
  }

  Scalar key() {
    return key;
  }

  /** True for the faucet, which can pay any amount. */
  boolean unlimited() {
    return unlimited;
  }

  public long balanceMsat() {
    synchronized (network.lock) {
      return balanceMsat;
    }
  }

  /** Adds {@code sat} to the balance, as opening a channel would. */
  public void deposit(long sat) {
    if (sat < 0) throw new IllegalArgumentException("deposit is negative");
    synchronized (network.lock) {
      balanceMsat = Math.addExact(balanceMsat, Math.multiplyExact(sat, 1000L));
    }
  }

  /** How much more this node can receive; null (the default) for no limit. Payments beyond it fail. */
  public void receiveLimit(Long sat) {
    synchronized (network.lock) {
      receiveLimitMsat = sat == null ? null : Math.multiplyExact(sat, 1000L);
    }
  }

  /** A signed BOLT11 invoice of this node for {@code amountSat}, payable until {@code expiry} from now. */
  public Invoice createInvoice(long amountSat, String description, Duration expiry) {
    return network.createInvoice(this, amountSat, description, expiry);
  }

  /**
   * Pays {@code bolt11}, routing fees included, refusing routes that cost more than {@code maxFeeSat}.
   *
   * @throws PaymentUncertainException when a {@link Fault#LOSE_RESPONSE} was armed: the payment went through
   */
  public PaymentOutcome pay(String bolt11, long maxFeeSat) throws PaymentUncertainException {
    return network.pay(this, bolt11, Math.multiplyExact(maxFeeSat, 1000L));
  }

  /** As {@link #pay(String, long)} with no fee limit. */
  public PaymentOutcome pay(String bolt11) throws PaymentUncertainException {
    return network.pay(this, bolt11, Long.MAX_VALUE);
  }

  /** The outcome of this node's latest attempt to pay the invoice with this hash, if it made one. */
  public Optional<PaymentOutcome> payment(String paymentHash) {
    return network.payment(paymentHash, this);
  }

  /** Arms {@code fault} for one of this node's next outgoing payments (faults apply in the order armed). */
  public void inject(Fault fault) {
    synchronized (network.lock) {
      faults.addLast(fault);
    }
  }

  public void failNext() {
    inject(Fault.FAIL);
  }

  public void holdNext() {
    inject(Fault.HOLD);
  }

  public void loseNextResponse() {
    inject(Fault.LOSE_RESPONSE);
  }

  @Override
  public String toString() {
    return "LightningNode[" + name + "]";
  }
}
