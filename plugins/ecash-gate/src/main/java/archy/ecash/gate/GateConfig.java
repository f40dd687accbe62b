package archy.ecash.gate;

import archy.config.ConfigException;
import archy.config.ConfigSection;
import archy.config.EditDistance;
import archy.ecash.MintUrl;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
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
                         long failOpenSessionSats, long failOpenMintSats, Duration reclaimSendsAfter) {
  public static final String SECTION = "ecash-gate";

  public static GateConfig defaults() {
    return from(ConfigSection.of(SECTION, JsonNodeFactory.instance.objectNode()));
  }

  /**
   * Reads {@code [ecash-gate]}; every key it reads is a key the section accepts (RelayPlugin.readConfig).
   *
   * @throws archy.config.ConfigException for a value of the wrong type or range
   */
  public static GateConfig from(ConfigSection section) {
    List<String> mints = section.strings("mints");
    for (String mint : mints) {
      try {
        MintUrl.normalize(mint);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(section.path() + ".mints: '" + mint + "': " + e.getMessage());
      }
    }
    boolean failOpen = section.bool("fail_open", true);
    // One key per service the gate sells: a new service (a plugin that charges) adds its line here.
    Map<String, Long> prices = new LinkedHashMap<>();
    ConfigSection priceTable = section.section("prices");
    prices.put(PaymentGate.CONTENT_DOWNLOAD, priceTable.longInteger(PaymentGate.CONTENT_DOWNLOAD, 1, 0));
    prices.put(PaymentGate.RELAY_BANDWIDTH, priceTable.longInteger(PaymentGate.RELAY_BANDWIDTH, 2, 0));
    // Not configured: paid-streams prices each stream in its own offer and counts its sessions in sats.
    prices.put(PaymentGate.PAID_STREAMS, PaymentGate.ONE_SAT_PER_BYTE);
    Map<String, Map<String, Long>> scopePrices = new LinkedHashMap<>();
    ConfigSection byService = section.table("scope_prices");
    for (String service : byService.names()) {
      if (!prices.containsKey(service)) {
        throw new ConfigException("unknown section [" + byService.path() + "." + service + "]; did you mean ["
            + byService.path() + "." + EditDistance.nearest(service, List.copyOf(prices.keySet())) + "]?");
      }
      ConfigSection scopes = byService.table(service);
      Map<String, Long> perScope = new LinkedHashMap<>();
      for (String scope : scopes.names()) perScope.put(scope, scopes.longInteger(scope, 0, 0));
      scopePrices.put(service, perScope);
    }
    return new GateConfig(List.copyOf(mints), failOpen, prices, scopePrices,
        section.integer("max_token_bytes", 16_384, 1), section.integer("max_proofs", 100, 1),
        Duration.ofSeconds(section.longInteger("retry_seconds", 30, 1)),
        Duration.ofSeconds(section.longInteger("retry_max_seconds", 3600, 1)),
        Duration.ofMillis(section.longInteger("flush_millis", 1000, 1)),
        Duration.ofSeconds(section.longInteger("session_refresh_seconds", 5, 1)),
        Duration.ofSeconds(section.longInteger("recovery_grace_seconds", 60, 1)),
        Duration.ofSeconds(section.longInteger("keyset_ttl_seconds", 300, 1)),
        Duration.ofSeconds(section.longInteger("mint_timeout_seconds", 30, 1)),
        section.longInteger("fail_open_max_session_sats", 1_000, 0),
        section.longInteger("fail_open_max_mint_sats", 20_000, 0),
        Duration.ofSeconds(section.longInteger("reclaim_sends_after_seconds", 86_400, 1)));
  }
}
