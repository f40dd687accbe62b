package archy.film.publish;

import archy.nostr.Event;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A short NIP-01 conversation with the node's relay over its WebSocket (same port as HTTP): publish one event
 * and wait for its {@code OK}, or run one query until {@code EOSE}. The node's AUTH challenge is ignored: film
 * events and deletions need none.
 */
final class RelayClient implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long TIMEOUT_SECONDS = 20;

  private final WebSocket socket;
  private final BlockingQueue<String> received;

  private RelayClient(WebSocket socket, BlockingQueue<String> received) {
    this.socket = socket;
    this.received = received;
  }

  /** @param node the node's http(s) base URL; its ws(s) twin is the relay */
  static RelayClient connect(HttpClient http, URI node) {
    URI ws = URI.create(node.toString().replaceFirst("^http", "ws"));
    BlockingQueue<String> queue = new LinkedBlockingQueue<>();
    try {
      WebSocket socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
          .buildAsync(ws, new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
              partial.append(data);
              if (last) {
                queue.add(partial.toString());
                partial.setLength(0);
              }
              w.request(1);
              return null;
            }
          }).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      return new RelayClient(socket, queue);
    } catch (Exception e) {
      throw new PublishException("cannot reach the relay at " + ws + ": " + e);
    }
  }

  private String next(long deadline) throws InterruptedException {
    return received.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
  }

  /** Sends the event; returns normally when the relay accepts it, else throws with the relay's message. */
  void publish(Event event) throws Exception {
    socket.sendText("[\"EVENT\"," + event.json() + "]", true).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
    for (String m; (m = next(deadline)) != null; ) {
      JsonNode msg = JSON.readTree(m);
      if (msg.path(0).asText().equals("OK") && msg.path(1).asText().equals(event.id())) {
        if (msg.path(2).asBoolean()) return;
        throw new PublishException("the relay refused event " + event.id() + " (kind " + event.kind() + "): "
            + msg.path(3).asText());
      }
    }
    throw new PublishException("the relay did not answer event " + event.id() + " within " + TIMEOUT_SECONDS + " s");
  }

  /** The stored events matching the filter (a JSON object), as the relay sends them before EOSE. */
  List<JsonNode> query(String filterJson) throws Exception {
    String sub = "archy-film-" + Long.toHexString(System.nanoTime());
    socket.sendText("[\"REQ\",\"" + sub + "\"," + filterJson + "]", true).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
    List<JsonNode> events = new ArrayList<>();
    for (String m; (m = next(deadline)) != null; ) {
      JsonNode msg = JSON.readTree(m);
      if (!msg.path(1).asText().equals(sub)) continue;
      switch (msg.path(0).asText()) {
        case "EVENT" -> events.add(msg.path(2));
        case "EOSE" -> {
          socket.sendText("[\"CLOSE\",\"" + sub + "\"]", true);
          return events;
        }
        case "CLOSED" -> throw new PublishException("the relay closed the query: " + msg.path(2).asText());
        default -> { }
      }
    }
    throw new PublishException("the relay did not finish the query within " + TIMEOUT_SECONDS + " s");
  }

  @Override
  public void close() {
    socket.abort();
  }
}
