package archy.film.advert;

import archy.nostr.Event;
import archy.nostr.RelaySocket;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends this node's own events (seed adverts, their withdrawals) to the upstream relays, so nodes that sync from
 * them learn this node is a seeder. One short WebSocket connection per event and relay: adverts are rare (one per
 * film every few days), and a relay that is down is simply tried again with the next renewal.
 */
public final class UpstreamPublisher {
  private static final Logger log = LoggerFactory.getLogger(UpstreamPublisher.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final List<URI> relays;

  public UpstreamPublisher(List<URI> relays) {
    this.relays = List.copyOf(relays);
  }

  /** Sends the event to every upstream on virtual threads; outcomes are logged, never thrown. */
  public void publish(Event event) {
    for (URI relay : relays) Thread.ofVirtual().name("film-catalog-upstream-publish").start(() -> send(relay, event));
  }

  private void send(URI relay, Event event) {
    try (RelaySocket socket = RelaySocket.connect(relay.toString())) {
      socket.send("[\"EVENT\"," + event.json() + "]");
      // Other messages (an AUTH challenge, notices) may come first: wait for this event's OK.
      for (JsonNode m = socket.next(TIMEOUT); ; m = socket.next(TIMEOUT)) {
        if (!m.path(0).asText().equals("OK") || !m.path(1).asText().equals(event.id())) continue;
        if (m.path(2).asBoolean()) log.info("upstream {} accepted event {} (kind {})", relay, event.id(), event.kind());
        else log.info("upstream {} refused event {} (kind {}): {}", relay, event.id(), event.kind(), m.path(3).asText());
        return;
      }
    } catch (Exception e) {
      log.info("upstream {} could not take event {} (kind {}): {}", relay, event.id(), event.kind(), e.getMessage());
    }
  }
}
