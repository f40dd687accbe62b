package archy.nostr;

/** A malformed or badly signed event; the message is ready to send after NIP-01's {@code invalid:} prefix. */
public final class InvalidEventException extends Exception {
  public InvalidEventException(String message) {
    super(message, null, false, false);
  }
}
