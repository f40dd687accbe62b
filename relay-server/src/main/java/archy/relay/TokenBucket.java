package archy.relay;

/**
 * Per-connection event rate limit: {@code ratePerSecond} tokens refill continuously up to {@code burst}.
 * Only the connection's own message thread touches it, hence no locking.
 */
final class TokenBucket {
  private final double ratePerNano;
  private final double burst;
  private double tokens;
  private long last;

  TokenBucket(double ratePerSecond, int burst, long nowNanos) {
    this.ratePerNano = ratePerSecond / 1e9;
    this.burst = burst;
    this.tokens = burst;
    this.last = nowNanos;
  }

  boolean tryTake(long nowNanos) {
    tokens = Math.min(burst, tokens + (nowNanos - last) * ratePerNano);
    last = nowNanos;
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  }
}
