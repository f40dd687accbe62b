package archy.film.publish;

/** A publish step failed for a reason the user can act on; the message says what and why. */
public final class PublishException extends RuntimeException {
  public PublishException(String message) {
    super(message);
  }
}
