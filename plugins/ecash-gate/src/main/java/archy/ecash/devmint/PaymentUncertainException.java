package archy.ecash.devmint;

/**
 * The payer's call failed after the payment was handed to the network, so it may or may not have happened: the
 * "lost response" every Lightning backend can produce. Ask {@link LightningNetwork#payment} for the truth.
 */
public final class PaymentUncertainException extends Exception {
  private final String paymentHash;

  PaymentUncertainException(String paymentHash) {
    super("the payment's outcome is unknown: the connection to the node broke");
    this.paymentHash = paymentHash;
  }

  public String paymentHash() {
    return paymentHash;
  }
}
