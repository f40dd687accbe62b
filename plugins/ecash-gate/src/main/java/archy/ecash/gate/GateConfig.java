package archy.ecash.gate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code [ecash-gate]} section. Every key is optional; docs/configuration.md lists them with their defaults.
 */
public record GateConfig(List<String> mints, boolean failOpen, Map<String, Long> prices,
                         Map<String, Map<String, Long>> scopePrices, int maxTokenChars, int maxProofs,
                         Duration retryFirst, Duration retryMax, Duration flushEvery, Duration sessionRefresh,
                         Duration recoveryGrace, Duration keysetTtl, Duration mintTimeout,
                         long failOpenSessionSats, long failOpenMintSats) {

  public static GateConfig defaults() {
    return from(JsonNodeFactory.instance.objectNode());
  }

  /** @throws IllegalArgumentException for a value of the wrong type or range */
  public static GateConfig from(JsonNode section) {
    List<String> mints = new ArrayList<>();
    for (JsonNode m : section.path("mints")) {
      if (!m.isTextual()) throw new IllegalArgumentException("[ecash-gate] mints must be a list of URLs");
      mints.add(m.textValue());
    }
    Map<String, Long> prices = new LinkedHashMap<>();
    prices.put(PaymentGate.CONTENT_DOWNLOAD, 1L);
    prices.put(PaymentGate.RELAY_BANDWIDTH, 2L);
    section.path("prices").properties().forEach(e -> prices.put(e.getKey(), price(e.getValue(), "prices." + e.getKey())));
    Map<String, Map<String, Long>> scopePrices = new LinkedHashMap<>();
    section.path("scope_prices").properties().forEach(service -> {
      Map<String, Long> scopes = new LinkedHashMap<>();
      service.getValue().properties().forEach(s -> scopes.put(s.getKey(), price(s.getValue(), "scope_prices")));
      scopePrices.put(service.getKey(), scopes);
    });
    return new GateConfig(List.copyOf(mints), bool(section, "fail_open", true), prices, scopePrices,
        (int) positive(section, "max_token_bytes", 16_384), (int) positive(section, "max_proofs", 100),
        Duration.ofSeconds(positive(section, "retry_seconds", 30)),
        Duration.ofSeconds(positive(section, "retry_max_seconds", 3600)),
        Duration.ofMillis(positive(section, "flush_millis", 1000)),
        Duration.ofSeconds(positive(section, "session_refresh_seconds", 5)),
        Duration.ofSeconds(positive(section, "recovery_grace_seconds", 60)),
        Duration.ofSeconds(positive(section, "keyset_ttl_seconds", 300)),
        Duration.ofSeconds(positive(section, "mint_timeout_seconds", 30)),
        notNegative(section, "fail_open_max_session_sats", 1_000), notNegative(section, "fail_open_max_mint_sats", 20_000));
  }

  private static long price(JsonNode n, String key) {
    if (!n.isIntegralNumber() || n.asLong() < 0) {
      throw new IllegalArgumentException("[ecash-gate] " + key + " must be a whole number of sats per MB, 0 or more");
    }
    return n.asLong();
  }

  private static boolean bool(JsonNode section, String key, boolean dflt) {
    JsonNode n = section.get(key);
    if (n == null || n.isNull()) return dflt;
    if (!n.isBoolean()) throw new IllegalArgumentException("[ecash-gate] " + key + " must be true or false");
    return n.booleanValue();
  }

  private static long notNegative(JsonNode section, String key, long dflt) {
    JsonNode n = section.get(key);
    if (n == null || n.isNull()) return dflt;
    if (!n.isIntegralNumber() || n.asLong() < 0) {
      throw new IllegalArgumentException("[ecash-gate] " + key + " must be a whole number, 0 or more");
    }
    return n.asLong();
  }

  private static long positive(JsonNode section, String key, long dflt) {
    JsonNode n = section.get(key);
    if (n == null || n.isNull()) return dflt;
    if (!n.isIntegralNumber() || n.asLong() <= 0) {
      throw new IllegalArgumentException("[ecash-gate] " + key + " must be a positive whole number");
    }
    return n.asLong();
  }
}
