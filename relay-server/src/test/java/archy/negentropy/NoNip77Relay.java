package archy.negentropy;

import archy.nostr.Event;
import archy.nostr.EventParser;
import archy.nostr.Filter;
import archy.nostr.FilterParser;
import archy.nostr.Schnorr;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A real WebSocket relay on 127.0.0.1 without NIP-77, as many are: REQ (newest first, {@code limit}, {@code until},
 * {@code since}) over an in-memory list, EVENT answered OK; NEG-OPEN answered with a NOTICE, the way relays
 * answer a message type they do not know, or not at all.
 */
final class NoNip77Relay implements AutoCloseable {
  enum Refusal { NOTICE, SILENCE }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final EventParser PARSER = new EventParser(Schnorr.verifier());

  final List<Event> events = new CopyOnWriteArrayList<>();
  final AtomicInteger negOpens = new AtomicInteger();
  final AtomicInteger reqs = new AtomicInteger();
  private final Refusal refusal;
  private final Server server = new Server();
  private final ServerConnector connector = new ServerConnector(server);

  NoNip77Relay(Refusal refusal, List<Event> stored) throws Exception {
    this.refusal = refusal;
    events.addAll(stored);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    NoNip77Relay relay = this;
    JakartaWebSocketServletContainerInitializer.configure(context, (servletContext, container) -> {
      container.setDefaultMaxTextMessageBufferSize(1 << 20);
      container.addEndpoint(ServerEndpointConfig.Builder.create(Connection.class, "/")
          .configurator(new ServerEndpointConfig.Configurator() {
            @Override
            public <T> T getEndpointInstance(Class<T> type) {
              return type.cast(new Connection(relay));
            }
          }).build());
    });
    server.setHandler(context);
    server.start();
  }

  String wsUrl() {
    return "ws://127.0.0.1:" + connector.getLocalPort();
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }

  void handle(Session session, String text) throws Exception {
    JsonNode m = JSON.readTree(text);
    switch (m.path(0).asText()) {
      case "NEG-OPEN" -> {
        negOpens.incrementAndGet();
        if (refusal == Refusal.NOTICE) send(session, JSON.createArrayNode().add("NOTICE").add("ERROR: unknown cmd"));
      }
      case "REQ" -> {
        reqs.incrementAndGet();
        String sub = m.path(1).asText();
        Filter filter = new FilterParser(Integer.MAX_VALUE).parse(m.path(2));
        List<Event> matches = new ArrayList<>(events.stream().filter(filter::matches).toList());
        matches.sort(Comparator.comparingLong(Event::createdAt).reversed().thenComparing(Event::id));
        int limit = filter.limit() == null ? 100 : filter.limit();
        for (Event e : matches.subList(0, Math.min(limit, matches.size()))) {
          session.getBasicRemote().sendText("[\"EVENT\"," + JSON.writeValueAsString(sub) + "," + e.json() + "]");
        }
        send(session, JSON.createArrayNode().add("EOSE").add(sub));
      }
      case "EVENT" -> {
        Event e = PARSER.parse(JSON.writeValueAsString(m.path(1)));
        events.add(e);
        send(session, JSON.createArrayNode().add("OK").add(e.id()).add(true).add(""));
      }
      default -> { } // CLOSE, NEG-CLOSE
    }
  }

  private static void send(Session session, JsonNode message) throws IOException {
    session.getBasicRemote().sendText(message.toString());
  }

  /** One client connection; messages are handled one at a time, in order. */
  public static final class Connection extends Endpoint {
    private final NoNip77Relay relay;

    Connection(NoNip77Relay relay) {
      this.relay = relay;
    }

    @Override
    public void onOpen(Session session, EndpointConfig config) {
      session.addMessageHandler(String.class, (MessageHandler.Whole<String>) text -> {
        try {
          relay.handle(session, text);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
    }
  }
}
