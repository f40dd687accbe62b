package archy.film.fetch;

import archy.nostr.Event;
import java.util.List;
import java.util.Optional;

/**
 * A node that offers single-hop relay fetches, read from its kind 10021 advert (PROTOCOLS.md §2.4): the advert
 * carries {@code ["relay"]}, {@code ["service","relay-bandwidth"]} and a pinned {@code quic} endpoint of
 * {@code archy/relay/1}. Adverts without a certificate to pin are no relay: a client never dials an unpinned
 * endpoint (§5.0).
 *
 * @param satsPerMb the cheapest {@code relay-bandwidth} price it names, or null when it names none
 * @param createdAt the advert's {@code created_at}: the newest advert of a node wins
 */
public record KnownRelay(String pubkey, String hostPort, String fingerprint, Long satsPerMb, long createdAt) {
  public static final int OFFER_KIND = 10021;
  public static final String SERVICE = "relay-bandwidth";

  /** The relay an advert describes, or empty when it is no relay offer with a pinned {@code archy/relay/1} endpoint. */
  public static Optional<KnownRelay> of(Event offer) {
    if (offer.kind() != OFFER_KIND || !has(offer, List.of("relay")) || !has(offer, List.of("service", SERVICE))) {
      return Optional.empty();
    }
    String hostPort = null;
    String fingerprint = null;
    Long price = null;
    for (List<String> t : offer.tags()) {
      if (t.size() >= 5 && t.get(0).equals("endpoint") && t.get(1).equals("quic") && t.get(3).equals(RelayFetch.ALPN)
          && t.get(4).matches("[0-9a-f]{64}") && hostPort == null) {
        hostPort = t.get(2);
        fingerprint = t.get(4);
      }
      if (t.size() >= 7 && t.get(0).equals("price_per_step") && t.get(6).equals(SERVICE) && t.get(2).matches("\\d{1,12}")) {
        long p = Long.parseLong(t.get(2));
        price = price == null ? p : Math.min(price, p);
      }
    }
    if (hostPort == null) return Optional.empty();
    return Optional.of(new KnownRelay(offer.pubkey(), hostPort, fingerprint, price, offer.createdAt()));
  }

  private static boolean has(Event e, List<String> tag) {
    return e.tags().contains(tag);
  }
}
