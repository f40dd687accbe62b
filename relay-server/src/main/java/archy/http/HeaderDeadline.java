package archy.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes HTTP connections whose request line and headers take longer than a deadline to arrive.
 *
 * <p>Jetty's idle timeout restarts at every byte, so a client sending one header line every 20 seconds
 * holds a connection (and its buffers) forever. Jetty has no header deadline of its own; this listener
 * tracks the HTTP/1 connections and a periodic {@link #sweep} closes any whose parser has sat in the same
 * unfinished request head for longer than the deadline. A connection waiting for its next request (parser
 * at the start) or reading a body is left to the idle timeout.
 */
public final class HeaderDeadline implements Connection.Listener {
  private static final Logger log = LoggerFactory.getLogger(HeaderDeadline.class);

  /** Where a connection's current request head was first seen unfinished. */
  private record Started(long messagesIn, long nanos) {}

  private static final Started IDLE = new Started(-1, 0);

  private final long deadlineNanos;
  private final Map<HttpConnection, Started> open = new ConcurrentHashMap<>();

  public HeaderDeadline(int seconds) {
    this.deadlineNanos = TimeUnit.SECONDS.toNanos(seconds);
  }

  @Override
  public void onOpened(Connection connection) {
    if (connection instanceof HttpConnection http) open.put(http, IDLE);
  }

  @Override
  public void onClosed(Connection connection) {
    if (connection instanceof HttpConnection http) open.remove(http);
  }

  /** Checks every connection once; call it about once a second. */
  public void sweep() {
    long now = System.nanoTime();
    open.replaceAll((connection, started) -> {
      HttpParser parser = connection.getParser();
      // Read without Jetty's locks: a stale state only delays the verdict to the next sweep.
      if (!parser.inHeaderState() || parser.isStart()) return IDLE;
      long messages = connection.getMessagesIn();
      if (started.messagesIn() != messages) return new Started(messages, now);
      if (now - started.nanos() > deadlineNanos) {
        log.info("closing a connection from {}: its request headers took longer than {} s",
            connection.getEndPoint().getRemoteSocketAddress(), TimeUnit.NANOSECONDS.toSeconds(deadlineNanos));
        connection.getEndPoint().close();
      }
      return started;
    });
  }
}
