package archy.relaybw;

import archy.config.ConfigSection;

/**
 * The {@code [relay-bandwidth]} section (docs/configuration.md lists every key). The price is the gate's
 * ({@code [ecash-gate.prices] relay-bandwidth}).
 *
 * @param maxSessionBytes      the most bytes one requester's session may have relayed (per process)
 * @param maxConcurrentPerPeer relay requests of one authenticated requester served at once
 */
public record RelayBandwidthConfig(boolean enabled, long maxSessionBytes, int maxConcurrentPerPeer) {
  public static final String SECTION = "relay-bandwidth";

  /** @throws archy.config.ConfigException naming the key and what is allowed */
  public static RelayBandwidthConfig from(ConfigSection c) {
    return new RelayBandwidthConfig(c.bool("enabled", false), c.longInteger("max_session_bytes", 10_000_000_000L, 1),
        c.integer("max_concurrent_per_peer", 4, 1));
  }
}
