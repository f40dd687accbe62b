package archy.ecash.gate;

/** What {@link PaymentGate#redeem} did with a token. */
public sealed interface Redeem {
  /** The token was swapped at its mint and {@code bytes} added to the session; {@code balance} is the new total. */
  record Credited(String sessionId, long bytes, long balance) implements Redeem {}

  /**
   * {@code fail_open}: the mint could not be reached, so the session was credited on trust and the token queued
   * for redemption later.
   */
  record Deferred(String sessionId, long bytes, long balance) implements Redeem {}

  /**
   * Not accepted: {@code httpStatus} 400 for a bad, spent, foreign or insufficient token (send {@code reason} as
   * {@code X-Reason}), 409 while the same token is being redeemed elsewhere, 503 when the mint is unreachable and
   * {@code fail_open} is off.
   */
  record Refused(int httpStatus, String reason) implements Redeem {}
}
