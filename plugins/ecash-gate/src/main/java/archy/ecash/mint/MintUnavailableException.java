package archy.ecash.mint;

/**
 * No usable answer: the connection failed or was reset, the request timed out, or the mint (or a proxy in front
 * of it) answered an error without a NUT error code (a 5xx, a proxy's 408 or 429). A swap, mint or melt may have happened anyway: check state (NUT-07,
 * quote state) or replay the identical request where NUT-19 allows, never assume failure.
 */
public final class MintUnavailableException extends MintException {
  private final int httpStatus;

  MintUnavailableException(String endpoint, String message, int httpStatus, Throwable cause) {
    super(endpoint, message, cause);
    this.httpStatus = httpStatus;
  }

  /** The HTTP status, or 0 when there was no response at all. */
  public int httpStatus() {
    return httpStatus;
  }

  @Override
  public boolean outcomeUnknown() {
    return true;
  }
}
