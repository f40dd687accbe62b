package archy.plugin;

import archy.nostr.Event;
import archy.nostr.Filter;
import archy.store.EventRecord;
import archy.store.StoredEvent;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/** The host's event pipeline as plugins see it. */
public interface EventGateway {
  /** Runs the event through the same checks as a client's EVENT, stores it and fans it out. */
  CompletableFuture<Published> publish(Event event, Origin origin);

  /** Stored events matching the filter, newest first, at most {@code limit}. */
  List<StoredEvent> query(Filter filter, int limit);

  /**
   * The keys of stored events matching the filter, newest first, at most {@code limit} (not capped by
   * {@code max_limit}: no JSON is read): what a NIP-77 reconciliation of the plugin's own sync runs over.
   */
  void records(Filter filter, int limit, Predicate<EventRecord> sink);

  /** The outcome a client would get in its OK message. */
  record Published(boolean accepted, String message) {}
}
