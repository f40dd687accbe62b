package archy.ecash.mint;

/**
 * A mint call that did not return what was asked. The three kinds differ in what the caller may assume:
 * <ul>
 *   <li>{@link MintRejectedException}: the mint answered with a NUT error; the request had no effect.
 *   <li>{@link MintUnavailableException}: no usable answer (connection failure, timeout, 5xx); a state-changing
 *       request may or may not have taken effect, so the outcome is unknown.
 *   <li>{@link MintProtocolException}: an answer that breaks the NUTs (bad JSON, wrong counts, invalid keys);
 *       also of unknown outcome.
 * </ul>
 * Messages name the endpoint by its template ({@code GET /v1/mint/quote/bolt11/{quote}}) and never contain
 * request bodies, proofs, tokens or quote ids, so they are safe to log.
 */
public abstract sealed class MintException extends Exception
    permits MintRejectedException, MintUnavailableException, MintProtocolException {
  private final String endpoint;

  MintException(String endpoint, String message, Throwable cause) {
    super(endpoint + ": " + message, cause, false, false);
    this.endpoint = endpoint;
  }

  /** The endpoint template, e.g. {@code POST /v1/swap}. */
  public String endpoint() {
    return endpoint;
  }

  /** False only when the mint said no: then nothing changed on its side and the request may be retried or dropped. */
  public abstract boolean outcomeUnknown();
}
