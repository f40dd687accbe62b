package archy.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A real WebSocket client (the JDK's) that queues every text message the relay sends. */
public final class WsClient implements AutoCloseable {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final WebSocket socket;
  private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
  public final CompletableFuture<Integer> closed = new CompletableFuture<>();

  private WsClient(URI uri) {
    this.socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
        .buildAsync(uri, new WebSocket.Listener() {
          private final StringBuilder partial = new StringBuilder();

          @Override
          public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
              received.add(partial.toString());
              partial.setLength(0);
            }
            ws.request(1);
            return null;
          }

          @Override
          public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
          }

          @Override
          public void onError(WebSocket ws, Throwable error) {
            closed.complete(-1);
          }
        }).join();
  }

  public static WsClient connect(String wsUrl) {
    return new WsClient(URI.create(wsUrl));
  }

  /** Connects and consumes the AUTH challenge the relay sends first; returns the client. */
  public static WsClient connectSkippingAuth(String wsUrl) {
    WsClient c = connect(wsUrl);
    JsonNode auth = c.next();
    if (!auth.path(0).asText().equals("AUTH")) throw new AssertionError("expected AUTH first, got " + auth);
    return c;
  }

  public void send(String text) {
    socket.sendText(text, true).join();
  }

  public void send(Object... message) {
    try {
      send(MAPPER.writeValueAsString(message));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The next message as JSON; fails after 10 seconds. */
  public JsonNode next() {
    return next(10_000);
  }

  public JsonNode next(long timeoutMillis) {
    try {
      String text = received.poll(timeoutMillis, TimeUnit.MILLISECONDS);
      if (text == null) throw new AssertionError("no message within " + timeoutMillis + " ms");
      return MAPPER.readTree(text);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Null when nothing arrives within the timeout. */
  public JsonNode poll(long timeoutMillis) {
    try {
      String text = received.poll(timeoutMillis, TimeUnit.MILLISECONDS);
      return text == null ? null : MAPPER.readTree(text);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null);
    socket.abort();
  }
}
