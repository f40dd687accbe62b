package archy.paidblobs.client;

/** The auto-pay client would not (or could not) pay: a cap, the interval, no funds, or an unreadable request. */
public final class PaymentRefusedException extends Exception {
  public PaymentRefusedException(String message) {
    super(message);
  }
}
