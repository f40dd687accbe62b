package archy.relay;

import archy.config.Relay;
import archy.nostr.EventParser;
import archy.nostr.SchnorrVerifier;
import archy.plugin.EventGateway;
import archy.plugin.EventPolicy;
import archy.plugin.Hooks;
import archy.store.EventStore;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
import jakarta.websocket.server.ServerEndpointConfig;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.jetty.ee10.websocket.jakarta.common.JakartaWebSocketSession;

/**
 * The Nostr relay: wires the protocol, the write path, live fan-out and connection bookkeeping around an
 * {@link EventStore} and the plugins' {@link Hooks}, and hands Jetty the WebSocket endpoint.
 */
public final class NostrRelay implements AutoCloseable {
  private final Relay limits;
  private final ConnectionRegistry connections;
  private final OutputBudget output;
  private final SubscriptionIndex index = new SubscriptionIndex();
  private final Fanout fanout;
  private final EventIngest ingest;
  private final RelayProtocol protocol;
  private final ExecutorService queries = Executors.newVirtualThreadPerTaskExecutor();

  /** @param operator the operators' own lists (NIP-86), checked before the plugins' policies */
  public NostrRelay(Relay limits, EventStore store, EventPolicy operator, Hooks hooks, SchnorrVerifier verifier, MeterRegistry registry,
                    Clock clock, String publicUrl) {
    this.limits = limits;
    this.connections = new ConnectionRegistry(limits.maxConnectionsPerIp());
    this.output = new OutputBudget(OutputBudget.totalLimit(limits.maxPendingOutputBytesTotal()),
        limits.maxPendingOutputBytesPerIp());
    this.fanout = new Fanout(index, limits.authRequiredKinds(), hooks);
    RelayMetrics metrics = new RelayMetrics(registry, connections, index, output);
    this.ingest = new EventIngest(limits, store, operator, hooks, fanout, metrics, clock);
    this.protocol = new RelayProtocol(limits, new EventParser(verifier), ingest, store, hooks, index, fanout, metrics,
        queries, clock, publicUrl);
    // Events written by sibling processes on the same PostgreSQL reach our subscribers too, after the plugins
    // that keep state from stored events (paid-streams' offers: an unknown offer's observations would go out free).
    store.onRemoteEvent(event -> {
      hooks.siblingEventSaved(event);
      fanout.deliver(event);
    });
  }

  /** The write path plugins publish through. */
  public EventGateway gateway() {
    return ingest;
  }

  public ConnectionRegistry connections() {
    return connections;
  }

  /** The endpoint configuration to register with the Jakarta WebSocket container at {@code path}. */
  public ServerEndpointConfig endpointConfig(String path) {
    return ServerEndpointConfig.Builder.create(RelayEndpoint.class, path)
        .configurator(new ServerEndpointConfig.Configurator() {
          @Override
          public <T> T getEndpointInstance(Class<T> type) {
            return type.cast(new RelayEndpoint(NostrRelay.this));
          }
        })
        .subprotocols(List.of())
        .build();
  }

  RelayProtocol protocol() {
    return protocol;
  }

  /** The connection, or null when its address is at the connection limit (the session is then closed). */
  Connection open(Session session, String remoteAddress, String challenge) {
    session.setMaxTextMessageBufferSize(limits.maxFrameBytes());
    session.setMaxIdleTimeout(limits.idleTimeoutSeconds() * 1000L);
    // Jetty's Jakarta container makes every session: the outbox writes through its core session.
    Outbox outbox = new Outbox((JakartaWebSocketSession) session, remoteAddress, output, limits.maxPendingOutputBytes(), queries);
    Connection c = new Connection(session, outbox, remoteAddress,
        challenge, new TokenBucket(limits.eventsPerSecond(), limits.eventBurst(), System.nanoTime()));
    if (!connections.opened(c)) {
      // Raced past the pre-upgrade check while the address was at its limit.
      outbox.closed();
      try {
        session.close(new CloseReason(CloseReason.CloseCodes.TRY_AGAIN_LATER, "too many connections from this address"));
      } catch (IOException e) {
        // gone already
      }
      return null;
    }
    return c;
  }

  void close(Connection c) {
    protocol.closeAll(c);
    c.outbox.closed();
    connections.closed(c);
  }

  /** Stops queries; the store is closed by its owner after the HTTP server stopped. */
  @Override
  public void close() {
    queries.shutdown();
  }

}
