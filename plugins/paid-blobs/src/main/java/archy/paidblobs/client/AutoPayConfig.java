package archy.paidblobs.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.time.Duration;
import java.util.ArrayList;
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
    return from(MissingNode.getInstance());
  }

  /** Reads {@code [paid-blobs.client]}; every key is optional. */
  public static AutoPayConfig from(JsonNode c) {
    List<String> origins = new ArrayList<>();
    c.path("free_origins").forEach(o -> origins.add(o.asText()));
    return new AutoPayConfig(
        c.path("max_sats_per_request").asLong(100),
        c.path("max_sats_per_host_per_day").asLong(1_000),
        c.path("max_sats_per_day").asLong(5_000),
        Duration.ofSeconds(c.path("min_pay_interval_seconds").asLong(10)),
        c.path("top_up_sats").asLong(0),
        c.path("free_origin_above_sats_per_mb").asLong(Long.MAX_VALUE),
        origins,
        Math.max(1, c.path("buy_ahead_blobs").asLong(8)));
  }

  public AutoPayConfig withTopUp(long sats) {
    return new AutoPayConfig(maxSatsPerRequest, maxSatsPerHostPerDay, maxSatsPerDay, minPayInterval, sats,
        freeOriginAboveSatsPerMb, freeOrigins, buyAheadBlobs);
  }

  public AutoPayConfig withFreeOrigins(long aboveSatsPerMb, List<String> origins) {
    return new AutoPayConfig(maxSatsPerRequest, maxSatsPerHostPerDay, maxSatsPerDay, minPayInterval, topUpSats,
        aboveSatsPerMb, origins, buyAheadBlobs);
  }
}
