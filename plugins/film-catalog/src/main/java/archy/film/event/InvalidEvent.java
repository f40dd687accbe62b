package archy.film.event;

/** A film or advert event that breaks PROTOCOLS.md §2; the message is the reason after {@code invalid: }. */
public final class InvalidEvent extends Exception {
  public InvalidEvent(String reason) {
    super(reason, null, false, false);
  }

  /** The NIP-01 OK message for a client. */
  public String okMessage() {
    return "invalid: " + getMessage();
  }
}
