package archy.film.advert;

import archy.nostr.Event;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
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
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

  public UpstreamPublisher(List<URI> relays) {
    this.relays = List.copyOf(relays);
  }

  /** Sends the event to every upstream on virtual threads; outcomes are logged, never thrown. */
  public void publish(Event event) {
    for (URI relay : relays) Thread.ofVirtual().name("film-catalog-upstream-publish").start(() -> send(relay, event));
  }

  private void send(URI relay, Event event) {
    CompletableFuture<String> ok = new CompletableFuture<>();
    WebSocket ws = null;
    try {
      ws = http.newWebSocketBuilder().connectTimeout(TIMEOUT).buildAsync(relay, new WebSocket.Listener() {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
          text.append(data);
          if (last) {
            String message = text.toString();
            text.setLength(0);
            if (message.startsWith("[\"OK\"") && message.contains(event.id())) ok.complete(message);
          }
          socket.request(1);
          return null;
        }
      }).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      ws.sendText("[\"EVENT\"," + event.json() + "]", true);
      String answer = ok.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (answer.contains(",true")) log.info("upstream {} accepted event {} (kind {})", relay, event.id(), event.kind());
      else log.info("upstream {} refused event {} (kind {}): {}", relay, event.id(), event.kind(), answer);
    } catch (Exception e) {
      log.info("upstream {} could not take event {} (kind {}): {}", relay, event.id(), event.kind(), e.toString());
    } finally {
      if (ws != null) ws.abort();
    }
  }
}
