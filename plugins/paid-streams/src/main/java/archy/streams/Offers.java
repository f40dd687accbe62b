package archy.streams;

import archy.nostr.Event;
import archy.nostr.Filter;
import archy.plugin.EventGateway;
import archy.store.StoredEvent;
import archy.nostr.EventParser;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stream offers the node holds, by address, read from the event store at start, kept current by the offers
 * this process stores and re-read periodically (offers stored by a sibling process on the same database). The
 * kinds and publishers of priced streams answer the delivery hook's fast question.
 */
final class Offers {
  private static final Logger log = LoggerFactory.getLogger(Offers.class);
  private static final EventParser STORED = new EventParser((signature, message, publicKey) -> true);

  private final EventGateway events;
  private final Map<String, Offer> byAddress = new ConcurrentHashMap<>();
  private volatile Set<Integer> pricedKinds = Set.of();
  private volatile Set<String> pricedPublishers = Set.of();

  Offers(EventGateway events) {
    this.events = events;
  }

  void reload() {
    Filter offers = new Filter(Set.of(), Set.of(), Set.of(Offer.KIND), Map.of(), null, null, null);
    for (StoredEvent row : events.query(offers, 100_000)) {
      try {
        put(Offer.parse(STORED.parse(row.json())));
      } catch (Exception e) {
        log.debug("stored offer {} skipped: {}", row.id(), e.getMessage());
      }
    }
  }

  void put(Offer offer) {
    byAddress.put(offer.address(), offer);
    pricedKinds = Set.copyOf(byAddress.values().stream().filter(Offer::priced).map(Offer::observationKind).toList());
    pricedPublishers = Set.copyOf(byAddress.values().stream().filter(Offer::priced).map(Offer::publisher).toList());
  }

  Offer get(String address) {
    return address == null ? null : byAddress.get(address);
  }

  /** The offer an event is an observation of ({@code a} tag of its author's 30083 of its kind), or null. */
  Offer streamOf(Event event) {
    for (var tag : event.tags()) {
      if (tag.size() >= 2 && tag.getFirst().equals("a") && tag.get(1).startsWith("30083:" + event.pubkey() + ":")) {
        Offer offer = byAddress.get(tag.get(1));
        if (offer != null && offer.observationKind() == event.kind()) return offer;
      }
    }
    return null;
  }

  boolean isPricedKind(int kind) {
    return pricedKinds.contains(kind);
  }

  /** Whether a filter can match observations of a priced stream. */
  boolean mayMatchPriced(Filter filter) {
    if (pricedKinds.isEmpty()) return false;
    boolean kinds = filter.kinds().isEmpty() || filter.kinds().stream().anyMatch(pricedKinds::contains);
    boolean authors = filter.authors().isEmpty() || filter.authors().stream().anyMatch(pricedPublishers::contains);
    return kinds && authors;
  }
}
