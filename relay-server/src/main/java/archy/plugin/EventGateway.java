package archy.plugin;

import archy.nostr.Event;
import archy.nostr.Filter;
import archy.store.StoredEvent;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The host's event pipeline as plugins see it. */
public interface EventGateway {
  /** Runs the event through the same checks as a client's EVENT, stores it and fans it out. */
  CompletableFuture<Published> publish(Event event, Origin origin);

  /** Stored events matching the filter, newest first, at most {@code limit}. */
  List<StoredEvent> query(Filter filter, int limit);

  /** The outcome a client would get in its OK message. */
  record Published(boolean accepted, String message) {}
}
