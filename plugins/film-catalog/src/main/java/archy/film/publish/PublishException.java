package archy.film.publish;

/** A publish step failed for a reason the user can act on; the message says what and why. */
final class PublishException extends RuntimeException {
  PublishException(String message) {
    super(message);
  }
}
