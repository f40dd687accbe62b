package archy.film.fetch;

/** A payer would not (or could not) pay a 402: a cap, the interval, no funds, or an unreadable request. */
public final class PaymentDeclined extends Exception {
  public PaymentDeclined(String message) {
    super(message);
  }
}
