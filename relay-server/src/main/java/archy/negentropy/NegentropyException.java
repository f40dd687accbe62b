package archy.negentropy;

/** A message that breaks the negentropy protocol (malformed, unsupported, or over a limit). */
public final class NegentropyException extends RuntimeException {
  public NegentropyException(String message) {
    super(message);
  }
}
