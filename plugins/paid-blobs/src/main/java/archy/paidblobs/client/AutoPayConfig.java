package archy.paidblobs.client;

import archy.config.ConfigSection;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.time.Duration;
import java.util.List;

/**
 * What the auto-pay client may spend ({@code [paid-blobs.client]}): caps per request, per host per day and in
 * total per day (UTC days), the least time between two payments of one scope, how much to buy at once, and
 * the free origins to try first when a price is over {@code freeOriginAboveSatsPerMb}, and how many blobs' worth
 * one payment buys ({@code buyAheadBlobs}: the 402 asks for one blob; the rest stays on the session).
 */
public record AutoPayConfig(long maxSatsPerRequest, long maxSatsPerHostPerDay, long maxSatsPerDay,
                            Duration minPayInterval, long topUpSats, long freeOriginAboveSatsPerMb,
                            List<String> freeOrigins, long buyAheadBlobs) {
  public AutoPayConfig {
    if (maxSatsPerRequest < 0 || maxSatsPerHostPerDay < 0 || maxSatsPerDay < 0 || topUpSats < 0) {
      throw new IllegalArgumentException("[paid-blobs.client] caps must not be negative");
    }
    freeOrigins = freeOrigins.stream().map(o -> o.replaceAll("/+$", "")).toList();
  }

  public static AutoPayConfig defaults() {
    return from(ConfigSection.of("paid-blobs.client", MissingNode.getInstance()));
  }

  /** Reads {@code [paid-blobs.client]}; every key is optional, and every key it reads is one the section accepts. */
  public static AutoPayConfig from(ConfigSection c) {
    Long freeAbove = c.optionalLong("free_origin_above_sats_per_mb", 0);
    return new AutoPayConfig(
        c.longInteger("max_sats_per_request", 100, 0),
        c.longInteger("max_sats_per_host_per_day", 1_000, 0),
        c.longInteger("max_sats_per_day", 5_000, 0),
        Duration.ofSeconds(c.longInteger("min_pay_interval_seconds", 10, 0)),
        c.longInteger("top_up_sats", 0, 0),
        freeAbove == null ? Long.MAX_VALUE : freeAbove,
        c.strings("free_origins"),
        c.longInteger("buy_ahead_blobs", 8, 1));
  }

  public AutoPayConfig withTopUp(long sats) {
    return new AutoPayConfig(maxSatsPerRequest, maxSatsPerHostPerDay, maxSatsPerDay, minPayInterval, sats,
        freeOriginAboveSatsPerMb, freeOrigins, buyAheadBlobs);
  }

  /** The same caps with another least interval between two payments of one scope (a stream's half cadence). */
  public AutoPayConfig withMinPayInterval(Duration interval) {
    return new AutoPayConfig(maxSatsPerRequest, maxSatsPerHostPerDay, maxSatsPerDay, interval, topUpSats,
        freeOriginAboveSatsPerMb, freeOrigins, buyAheadBlobs);
  }

  public AutoPayConfig withFreeOrigins(long aboveSatsPerMb, List<String> origins) {
    return new AutoPayConfig(maxSatsPerRequest, maxSatsPerHostPerDay, maxSatsPerDay, minPayInterval, topUpSats,
        aboveSatsPerMb, origins, buyAheadBlobs);
  }
}
