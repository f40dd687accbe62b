package archy.ecash.gate;

/**
 * A token the gate has seen ({@code ecash_gate_tokens}): its claim, its outcome, and while it is pending the
 * serialized token itself (a bearer instrument: never logged, dropped once final). {@code fee} is the swap fee
 * paid, or for a provisional (fail_open) credit the fee expected.
 */
record TokenRow(String hash, String session, String service, String scope, String mint, long amount, long fee,
                long bytes, long satsPerMb, State state, boolean provisional, String token, int attempts,
                long nextAttempt, long leaseUntil, String reason) {
  enum State {
    PENDING, CREDITED, REFUSED
  }

  Sessions.Key key() {
    return new Sessions.Key(session, service, scope);
  }

  boolean sameSession(String otherSession, String otherService, String otherScope) {
    return session.equals(otherSession) && service.equals(otherService) && scope.equals(otherScope);
  }

  @Override
  public String toString() {
    return "TokenRow[" + state + (provisional ? " provisional" : "") + ", service=" + service + ", amount=" + amount
        + ", bytes=" + bytes + ", attempts=" + attempts + "]";
  }
}
