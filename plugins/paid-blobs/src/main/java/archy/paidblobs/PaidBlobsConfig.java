package archy.paidblobs;

import archy.config.ConfigSection;
import archy.paidblobs.client.AutoPayConfig;
import archy.paidblobs.client.SwapCaps;
import java.util.Set;

/**
 * The {@code [paid-blobs]} section and its {@code [paid-blobs.client]} table (docs/configuration.md lists every
 * key). Every key {@link #from} reads is a key the section accepts.
 *
 * @param freePeers  pubkeys (hex) served free with a valid BUD-11 {@code get} token
 * @param freeScopes film coordinates never charged
 * @param offerCheckSeconds how often the kind 10021 offer is compared with the prices and mints (republished on change)
 */
public record PaidBlobsConfig(Set<String> freePeers, Set<String> freeScopes, boolean publishOffer,
                              long offerCheckSeconds, AutoPayConfig client, SwapCaps swap) {
  public static final String SECTION = "paid-blobs";

  /** @throws archy.config.ConfigException naming the key and what is allowed */
  public static PaidBlobsConfig from(ConfigSection c) {
    return new PaidBlobsConfig(c.pubkeys("free_peers"), Set.copyOf(c.strings("free_scopes")),
        c.bool("publish_offer", false), c.longInteger("offer_check_seconds", 300, 1),
        AutoPayConfig.from(c.section("client")), SwapCaps.from(c.section("client")));
  }
}
