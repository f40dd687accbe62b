package archy.relay;

import archy.nostr.Event;
import archy.nostr.Filter;
import archy.plugin.Origin;
import archy.plugin.Recipient;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** One open REQ: its id on its connection and its filters. Closed when the client closes or replaces it. */
final class Subscription implements Recipient {
  final Connection connection;
  final String id;
  final List<Filter> filters;
  /** {@code ["EVENT",<id>,} encoded once, for every stored row the query sends. */
  final byte[] eventPrefix;
  private volatile boolean open = true;

  Subscription(Connection connection, String id, List<Filter> filters) {
    this.connection = connection;
    this.id = id;
    this.filters = filters;
    this.eventPrefix = RelayMessages.eventPrefix(id);
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  void close() {
    open = false;
  }

  @Override
  public String subscriptionId() {
    return id;
  }

  @Override
  public Origin origin() {
    return connection.origin();
  }

  @Override
  public boolean matches(Event event) {
    for (Filter filter : filters) {
      if (filter.matches(event)) return true;
    }
    return false;
  }

  @Override
  public boolean send(Event event) {
    return open && sendJson(event.json().getBytes(StandardCharsets.UTF_8));
  }

  /** Sends an event given as its JSON in UTF-8 (shared, not changed) in this subscription's EVENT frame. */
  boolean sendJson(byte[] eventJson) {
    return connection.send(RelayMessages.event(eventPrefix, eventJson));
  }

  @Override
  public void notice(String message) {
    connection.send(RelayMessages.notice(message));
  }

  @Override
  public List<? extends Recipient> siblings() {
    return List.copyOf(connection.subscriptions.values());
  }
}
