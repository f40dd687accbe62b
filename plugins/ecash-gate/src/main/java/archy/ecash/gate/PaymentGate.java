package archy.ecash.gate;

import archy.ecash.request.PaymentRequest;
import java.util.List;

/**
 * The payment gate other plugins call (ecash-gate publishes it with {@code ctx.services().publish}). It sells
 * bytes of a service ({@link #CONTENT_DOWNLOAD}, {@link #RELAY_BANDWIDTH}) in metered sessions: a session's
 * balance is kept per (session, service, scope), so credit bought for one scope (a film) never pays for
 * another. Prices are sats per MB, MB = 10^6 bytes.
 *
 * <p>A typical paid GET: {@link #reserve} with the client's session (null on the first request) and the bytes
 * about to be sent; on {@link Decision.PaymentRequired} answer 402 with its request ({@code creqA…}) and session
 * id; when the retry carries a token, {@link #redeem} it, and on {@link Redeem.Credited} or
 * {@link Redeem.Deferred} reserve again and serve; when the response ends, settle the
 * {@link Decision.Allowed#reservation} with the bytes handed out. A reservation counts against the balance while
 * the response is in flight, so parallel requests of one session never spend more than it holds. {@code reserve},
 * {@code authorize}, settling and {@code debit} work in memory inside a funded session (one database read on a
 * session's first use and once per {@code session_refresh_seconds}, no locks held across calls); {@code redeem}
 * blocks on the mint, so call it from a virtual thread.
 *
 * <p>Every method taking a service throws {@link IllegalArgumentException} for a service without a price; a null
 * scope is the service's default scope. Session ids are 1–64 characters of {@code [A-Za-z0-9_-]}.
 */
public interface PaymentGate {
  String CONTENT_DOWNLOAD = "content-download";
  String RELAY_BANDWIDTH = "relay-bandwidth";
  /**
   * Stream payments (paid-streams): its price is fixed at {@link #ONE_SAT_PER_BYTE}, so a redeem credits as many
   * "bytes" as the token's sats after the swap fee, and the stream plugin keeps the real balances per stream.
   */
  String PAID_STREAMS = "paid-streams";
  long ONE_SAT_PER_BYTE = 1_000_000;

  /** A fresh session id: 32 lowercase hex characters from a CSPRNG (it is a bearer credential for the balance). */
  String newSessionId();

  /** The price of {@code service} in {@code scope} (its override, else the service's price); 0 means free. */
  long satsPerMb(String service, String scope);

  /** Sets (or, with null, removes) a per-scope price override at run time, e.g. a film's own price. */
  void setScopePrice(String service, String scope, Long satsPerMb);

  /** The accepted mints, normalized, in configured order (the {@code m} of payment requests). */
  List<String> mints();

  /**
   * A NUT-18 payment request for {@code bytesWanted} bytes: amount {@code a} = the price rounded up to whole sats
   * (at least 1) plus the input fee the mint will charge to swap a token of that amount; unit {@code sat}; the
   * accepted mints; id {@code i} = {@code sessionId} (a new one when null).
   */
  PaymentRequest requestFor(String service, String scope, long bytesWanted, String sessionId);

  /**
   * Redeems a {@code cashuB}/{@code cashuA} token into the session ({@code sessionId} null: a new one): checks it
   * (allow-listed mint, sat, amounts, no duplicate secrets, DLEQ when present), swaps it at its mint, then credits
   * {@code (amount − swap fee) × 10^6 / satsPerMb} bytes. Redeeming the same token again answers as the first
   * time and credits nothing more. Blocks on the mint.
   */
  Redeem redeem(String token, String service, String scope, String sessionId);

  /**
   * Whether {@code bytes} may be served from the session's balance in this (service, scope). Free services are
   * always allowed; otherwise {@link Decision.PaymentRequired} carries a request for the shortfall.
   */
  Decision authorize(String sessionId, String service, String scope, long bytes);

  /**
   * As {@link #authorize}, and on {@link Decision.Allowed} the {@code bytes} are set aside in its
   * {@link Decision.Allowed#reservation}, which the caller settles exactly once when the response ends. The
   * session may spend only its balance less what is reserved; a 402 asks for the shortfall, debt included.
   * Reservations are per process: processes sharing PostgreSQL see each other's debits within
   * {@code session_refresh_seconds} plus a flush interval.
   */
  Decision reserve(String sessionId, String service, String scope, long bytes);

  /**
   * Takes {@code bytes} delivered without a reservation from the session's balance; returns the balance left (may
   * go below 0: a debt, asked for at the next 402). In memory; never fails on storage.
   */
  long debit(String sessionId, String service, String scope, long bytes);

  /** The session's balance in bytes for (service, scope); 0 when unknown. */
  long balance(String sessionId, String service, String scope);
}
