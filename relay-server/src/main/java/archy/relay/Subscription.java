package archy.relay;

import archy.nostr.Filter;
import java.util.List;

/** One open REQ: its id on its connection and its filters. Closed when the client closes or replaces it. */
final class Subscription {
  final Connection connection;
  final String id;
  final List<Filter> filters;
  private volatile boolean open = true;

  Subscription(Connection connection, String id, List<Filter> filters) {
    this.connection = connection;
    this.id = id;
    this.filters = filters;
  }

  boolean isOpen() {
    return open;
  }

  void close() {
    open = false;
  }
}
