package archy.streams.client;

import java.time.Duration;
import java.time.Instant;

/**
 * The payer's half-cadence rule (PROTOCOLS.md §7): at most one payment per {@code gap} for a stream, and a need
 * for payment that comes during the cool-down schedules exactly one payment at its end, however many needs come.
 * So a publisher flooding observations (each one a new "payment-required") cannot make the payer pay faster.
 */
final class PayThrottle {
  private final Duration gap;
  private Instant lastPaid;
  private Instant scheduled;

  PayThrottle(Duration gap) {
    this.gap = gap;
  }

  /** A payment is wanted: true when it may go now; else one is scheduled at the end of the cool-down. */
  boolean want(Instant now) {
    if (lastPaid == null || !now.isBefore(lastPaid.plus(gap))) return true;
    scheduled = lastPaid.plus(gap);
    return false;
  }

  /** Schedules one payment as soon as the cool-down allows (a retry). */
  void schedule(Instant now) {
    Instant end = lastPaid == null ? now : lastPaid.plus(gap);
    scheduled = end.isAfter(now) ? end : now;
  }

  /** The scheduled payment's time has come. */
  boolean due(Instant now) {
    return scheduled != null && !now.isBefore(scheduled);
  }

  /** When the scheduled payment is due, or null when none is. */
  Instant scheduled() {
    return scheduled;
  }

  void paid(Instant now) {
    lastPaid = now;
    scheduled = null;
  }

  Duration gap() {
    return gap;
  }
}
