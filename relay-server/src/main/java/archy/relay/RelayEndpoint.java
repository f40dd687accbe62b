package archy.relay;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Session;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Jakarta WebSocket endpoint: one instance per client connection, delegating to {@link NostrRelay}.
 * Public only because the Jakarta container insists; it is created by {@link NostrRelay} alone.
 */
public final class RelayEndpoint extends Endpoint {
  private static final Logger log = LoggerFactory.getLogger(RelayEndpoint.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  static final String REMOTE_ADDRESS = "jakarta.websocket.endpoint.remoteAddress";

  private final NostrRelay relay;
  private Connection connection;

  RelayEndpoint(NostrRelay relay) {
    this.relay = relay;
  }

  @Override
  public void onOpen(Session session, EndpointConfig config) {
    byte[] challenge = new byte[16];
    RANDOM.nextBytes(challenge);
    connection = relay.open(session, remoteAddress(session), HexFormat.of().formatHex(challenge));
    if (connection == null) return;
    // NIP-42 on connect, always first: queued before any message can be handled, so no answer precedes it.
    connection.send(RelayMessages.auth(connection.challenge));
    session.addMessageHandler(String.class, text -> relay.protocol().onMessage(connection, text));
  }

  @Override
  public void onClose(Session session, CloseReason reason) {
    if (connection != null) relay.close(connection);
  }

  @Override
  public void onError(Session session, Throwable error) {
    log.debug("websocket error on {}", session.getId(), error);
  }

  static String remoteAddress(Session session) {
    Object address = session.getUserProperties().get(REMOTE_ADDRESS);
    if (address instanceof InetSocketAddress inet) return inet.getAddress().getHostAddress();
    return address instanceof SocketAddress other ? other.toString() : "unknown";
  }
}
