package archy.nostr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client WebSocket to a relay, read one JSON message at a time, counting the text it moves (sync reports): what
 * the node uses when it talks to other relays as a client (NIP-77 sync, publishing to upstreams, reading a film).
 */
public final class RelaySocket implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CLOSED = "\u0000closed";

  private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
  private final AtomicLong bytesReceived = new AtomicLong();
  private long bytesSent;
  private final HttpClient client = HttpClient.newHttpClient();
  private final WebSocket socket;

  private RelaySocket(URI uri) throws IOException {
    try {
      socket = client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
          .buildAsync(uri, new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
              partial.append(data);
              if (last) {
                bytesReceived.addAndGet(partial.length());
                received.add(partial.toString());
                partial.setLength(0);
              }
              ws.request(1);
              return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
              received.add(CLOSED);
              return null;
            }

            @Override
            public void onError(WebSocket ws, Throwable error) {
              received.add(CLOSED);
            }
          }).join();
    } catch (RuntimeException e) {
      client.shutdownNow();
      throw new IOException("cannot connect to " + uri + ": " + e.getMessage(), e);
    }
  }

  public static RelaySocket connect(String url) throws IOException {
    return new RelaySocket(URI.create(url));
  }

  public void send(String text) {
    bytesSent += text.length();
    socket.sendText(text, true).join();
  }

  public JsonNode next(Duration timeout) throws IOException, InterruptedException {
    JsonNode message = poll(timeout);
    if (message == null) throw new IOException("the relay sent nothing for " + timeout.toSeconds() + " s");
    return message;
  }

  /** The next message, or null when none came within {@code timeout} (a long-lived subscription's quiet). */
  public JsonNode poll(Duration timeout) throws IOException, InterruptedException {
    String text = received.poll(Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS);
    if (text == null) return null;
    if (text.equals(CLOSED)) {
      received.add(CLOSED); // stays closed for every later read
      throw new IOException("the relay closed the connection");
    }
    return JSON.readTree(text);
  }

  public long bytesSent() {
    return bytesSent;
  }

  public long bytesReceived() {
    return bytesReceived.get();
  }

  @Override
  public void close() {
    socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").exceptionally(e -> null);
    socket.abort();
    client.shutdownNow(); // its selector thread would otherwise outlive the socket until a GC
  }
}
