package archy.film.fetch;

import archy.nostr.Event;
import archy.nostr.EventParser;
import archy.nostr.Filter;
import archy.nostr.Keys;
import archy.nostr.RelaySocket;
import archy.nostr.Schnorr;
import archy.plugin.EventGateway;
import archy.store.StoredEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relays a node knows (issue 14): kind 10021 offers carrying {@code ["relay"]} ({@link KnownRelay}) on the node's
 * own relay (its event store, or its WebSocket for the CLI) and on its upstream relays, the newest advert per node.
 * Upstream events are signature-checked here; stored ones were checked when stored. The answer is kept for a
 * minute (no relay found: 5 s), so a film's many fetches ask the upstreams once.
 */
public final class RelayDirectory {
  private static final Logger log = LoggerFactory.getLogger(RelayDirectory.class);
  private static final Duration KEEP = Duration.ofSeconds(60);
  /** No relay found is asked again sooner: an offer published a moment ago should not wait a minute. */
  private static final Duration KEEP_NONE = Duration.ofSeconds(5);
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final int LIMIT = 1_000;
  private static final EventParser VERIFYING = new EventParser(Schnorr.verifier());
  private static final EventParser STORED = new EventParser((signature, message, publicKey) -> true);

  private final EventGateway local;
  private final List<URI> relays;
  private final String self;
  private final Clock clock;
  private List<KnownRelay> known;
  private Instant knownAt = Instant.MIN;

  /**
   * @param local  the node's own event store, or null (the CLI: its relay is then one of {@code relays})
   * @param relays WebSocket URLs asked too (the upstream relays)
   * @param self   this node's key: never a relay to itself
   */
  public RelayDirectory(EventGateway local, List<URI> relays, String self, Clock clock) {
    this.local = local;
    this.relays = List.copyOf(relays);
    this.self = self;
    this.clock = clock;
  }

  /** The relays other than this node, cheapest first (unpriced last). */
  public List<KnownRelay> relays() {
    return all().stream().filter(r -> !r.pubkey().equals(self)).toList();
  }

  /**
   * The relay {@code via} names: a node key (npub or hex) or the {@code host:port} of its advertised endpoint. This
   * node itself is found too, so that using it is refused as the loop it is ({@link RelayFetch}).
   *
   * @throws IllegalArgumentException when no known offer matches
   */
  public KnownRelay resolve(String via) {
    String v = via.strip();
    String key = null;
    try {
      key = Keys.parsePublicKey(v);
    } catch (IllegalArgumentException notAKey) {
      // a host:port
    }
    for (KnownRelay r : all()) {
      if (key != null ? r.pubkey().equals(key) : r.hostPort().equalsIgnoreCase(v)) return r;
    }
    throw new IllegalArgumentException("no relay offer (kind 10021 with [\"relay\"] and a pinned archy/relay/1 endpoint) for "
        + v + " on " + (local != null ? "this node's relay and " : "") + relays);
  }

  private synchronized List<KnownRelay> all() {
    Instant now = clock.instant();
    if (known != null && now.isBefore(knownAt.plus(known.isEmpty() ? KEEP_NONE : KEEP))) return known;
    Map<String, KnownRelay> newest = new HashMap<>();
    for (Event e : offers()) {
      KnownRelay.of(e).ifPresent(r -> newest.merge(r.pubkey(), r, (a, b) -> a.createdAt() >= b.createdAt() ? a : b));
    }
    known = newest.values().stream().sorted(Comparator.comparing(KnownRelay::satsPerMb,
        Comparator.nullsLast(Comparator.naturalOrder()))).toList();
    knownAt = now;
    return known;
  }

  private List<Event> offers() {
    List<Event> out = new ArrayList<>();
    if (local != null) {
      Filter f = new Filter(Set.of(), Set.of(), Set.of(KnownRelay.OFFER_KIND), Map.of(), null, null, LIMIT);
      for (StoredEvent row : local.query(f, LIMIT)) {
        try {
          out.add(STORED.parse(row.json()));
        } catch (Exception e) {
          log.debug("stored offer {} skipped: {}", row.id(), e.getMessage());
        }
      }
    }
    for (URI relay : relays) {
      try (RelaySocket socket = RelaySocket.connect(relay.toString())) {
        socket.send("[\"REQ\",\"relays\",{\"kinds\":[" + KnownRelay.OFFER_KIND + "],\"limit\":" + LIMIT + "}]");
        for (JsonNode m = socket.next(TIMEOUT); ; m = socket.next(TIMEOUT)) {
          if (!m.path(1).asText().equals("relays")) continue; // an AUTH challenge, a notice
          String type = m.path(0).asText();
          if (type.equals("EOSE") || type.equals("CLOSED")) break;
          if (!type.equals("EVENT")) continue;
          try {
            out.add(VERIFYING.parse(m.path(2).toString()));
          } catch (Exception e) {
            log.debug("offer from {} skipped: {}", relay, e.getMessage());
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (Exception e) {
        log.info("relay offers: {} could not be read: {}", relay, e.getMessage());
      }
    }
    return out;
  }
}
