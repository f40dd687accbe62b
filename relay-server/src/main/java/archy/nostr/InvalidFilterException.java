package archy.nostr;

/** A filter NIP-01 does not allow; the message follows the {@code invalid:} prefix in CLOSED. */
public final class InvalidFilterException extends Exception {
  public InvalidFilterException(String message) {
    super(message, null, false, false);
  }
}
