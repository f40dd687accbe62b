package archy.store;

/** The database failed (unreachable, out of space, a bug in our SQL); the cause says how. */
public final class StoreException extends RuntimeException {
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
