package archy.quic;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;

/**
 * An answer read by {@link QuicClient}: the header line, then the body as a stream that pulls from QUIC as it
 * is read (a reader that stops reading stops the sender through flow control). Close it when done; closing
 * before the end tells the server to stop sending.
 */
public final class QuicResponse implements AutoCloseable {
  private final JsonNode header;
  private final ResponseReader body;

  QuicResponse(JsonNode header, ResponseReader body) {
    this.header = header;
    this.body = body;
  }

  public JsonNode header() {
    return header;
  }

  /** The header's {@code status}, 0 when it has none. */
  public int status() {
    return header.path("status").asInt(0);
  }

  /**
   * The raw bytes after the header line. Ends at the server's FIN; a stream reset (a server that cut its answer
   * off, or no data for the idle timeout) is an {@code IOException}, never a quiet end.
   */
  public InputStream body() {
    return body.stream();
  }

  @Override
  public void close() {
    body.stream().close();
  }
}
