package archy.paidblobs.client;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The client's spending so far, checked before every payment: the caps of {@link AutoPayConfig} and the least
 * interval between two payments of one scope (a host's session), so a server answering 402 again and again
 * cannot drain the wallet faster than that. Counters are per UTC day and kept in memory for the process.
 */
final class Spending {
  private final AutoPayConfig config;
  private final Clock clock;
  private final Map<String, Long> perHost = new HashMap<>();
  private final Map<String, Instant> lastPaid = new HashMap<>();
  private LocalDate day;
  private long today;

  Spending(AutoPayConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
  }

  /** Why {@code sats} may not be paid to {@code host} for {@code scope} now; empty when it may. */
  synchronized Optional<String> refusal(String host, String scope, long sats) {
    roll();
    if (sats > config.maxSatsPerRequest()) {
      return Optional.of("asks " + sats + " sat, over the cap of " + config.maxSatsPerRequest() + " per request");
    }
    if (perHost.getOrDefault(host, 0L) + sats > config.maxSatsPerHostPerDay()) {
      return Optional.of("would pass the cap of " + config.maxSatsPerHostPerDay() + " sat per day for " + host);
    }
    if (today + sats > config.maxSatsPerDay()) {
      return Optional.of("would pass the cap of " + config.maxSatsPerDay() + " sat per day");
    }
    Instant last = lastPaid.get(host + " " + scope);
    if (last != null && clock.instant().isBefore(last.plus(config.minPayInterval()))) {
      return Optional.of("paid this scope at " + last + "; not again within " + config.minPayInterval().toSeconds() + " s");
    }
    return Optional.empty();
  }

  synchronized void paid(String host, String scope, long sats) {
    roll();
    perHost.merge(host, sats, Long::sum);
    today += sats;
    lastPaid.put(host + " " + scope, clock.instant());
  }

  /**
   * The host delivered bytes on its session: the credit bought was used, so the interval no longer holds back the
   * next payment (it exists to stop a server that answers 402 again and again without delivering).
   */
  synchronized void delivered(String host) {
    lastPaid.keySet().removeIf(key -> key.startsWith(host + " "));
  }

  synchronized long today() {
    roll();
    return today;
  }

  private void roll() {
    LocalDate now = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    if (!now.equals(day)) {
      day = now;
      today = 0;
      perHost.clear();
    }
  }
}
