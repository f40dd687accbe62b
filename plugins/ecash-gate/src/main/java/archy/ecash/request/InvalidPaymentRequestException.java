package archy.ecash.request;

/** A {@code creqA…}/{@code creqB…} string that cannot be decoded into a NUT-18 payment request. */
public final class InvalidPaymentRequestException extends Exception {
  public InvalidPaymentRequestException(String message) {
    super(message, null, false, false);
  }
}
