package archy.ecash.token;

/** A token that cannot be decoded or used; the message is safe to show (it never contains secrets). */
public final class InvalidTokenException extends Exception {
  public InvalidTokenException(String message) {
    super(message, null, false, false);
  }
}
