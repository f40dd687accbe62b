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
 * interval between two payments of one scope at one host, so a server answering 402 again and again cannot drain
 * the wallet faster than that. The scope is the client's own (a film it fetches, or "" for the host as a whole),
 * never an id the server puts in its payment request: a server choosing a new id per 402 would dodge the interval.
 * {@link #reserve} checks and records in one step, before the token is made, so payments racing on several
 * threads cannot together pass a cap; {@link #release} gives back a reservation no token left for. Counters are
 * per UTC day and kept in memory for the process.
 *
 * <p>A server is named {@code scheme://authority} ({@code http://h:8080}, {@code quic://h:8081},
 * {@code relay+quic://h:8081}): the interval is per server (one session there), but the per-host cap counts the
 * host name alone, so a node reached over HTTP and over QUIC (two ports, two schemes) draws on one budget.
 */
public final class Spending {
  private final AutoPayConfig config;
  private final Clock clock;
  private final Map<String, Long> perHost = new HashMap<>();
  private final Map<String, Instant> lastPaid = new HashMap<>();
  private LocalDate day;
  private long today;

  public Spending(AutoPayConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
  }

  /**
   * Reserves {@code sats} for a payment to {@code host} for {@code scope}; empty when reserved, else why not (and
   * nothing is reserved).
   */
  public synchronized Optional<String> reserve(String host, String scope, long sats) {
    roll();
    if (sats > config.maxSatsPerRequest()) {
      return Optional.of("asks " + sats + " sat, over the cap of " + config.maxSatsPerRequest() + " per request");
    }
    Instant last = lastPaid.get(key(host, scope));
    if (last != null && clock.instant().isBefore(last.plus(config.minPayInterval()))) {
      return Optional.of("paid this scope at " + last + "; not again within " + config.minPayInterval().toSeconds() + " s");
    }
    Optional<String> over = count(hostName(host), sats);
    if (over.isEmpty()) lastPaid.put(key(host, scope), clock.instant());
    return over;
  }

  /** Gives back a reservation whose payment never left (the wallet could not make the token). */
  public synchronized void release(String host, String scope, long sats) {
    uncount(hostName(host), sats);
    lastPaid.remove(key(host, scope));
  }

  /** Counts {@code sats} against the day's caps of {@code host}, or says which cap it would pass. */
  private synchronized Optional<String> count(String host, long sats) {
    roll();
    if (perHost.getOrDefault(host, 0L) + sats > config.maxSatsPerHostPerDay()) {
      return Optional.of("would pass the cap of " + config.maxSatsPerHostPerDay() + " sat per day for " + host);
    }
    if (today + sats > config.maxSatsPerDay()) {
      return Optional.of("would pass the cap of " + config.maxSatsPerDay() + " sat per day");
    }
    perHost.merge(host, sats, Long::sum);
    today += sats;
    return Optional.empty();
  }

  private synchronized void uncount(String host, long sats) {
    roll();
    perHost.computeIfPresent(host, (h, v) -> Math.max(0, v - sats));
    today = Math.max(0, today - sats);
  }

  /** The caps of {@code host} for costs on top of a payment (a swap's fee): checked and counted, no interval. */
  public TokenSource.FeeBudget budget(String server) {
    String host = hostName(server);
    return new TokenSource.FeeBudget() {
      @Override
      public Optional<String> reserve(long sats) {
        return count(host, sats);
      }

      @Override
      public void release(long sats) {
        uncount(host, sats);
      }
    };
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

  /** The host name a per-host cap counts: {@code quic://h:8081} and {@code http://h:8080} are both {@code h}. */
  static String hostName(String server) {
    try {
      String host = java.net.URI.create(server).getHost();
      return host == null ? server : host.toLowerCase(java.util.Locale.ROOT);
    } catch (IllegalArgumentException notAUri) {
      return server;
    }
  }

  private static String key(String host, String scope) {
    return host + " " + scope;
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
