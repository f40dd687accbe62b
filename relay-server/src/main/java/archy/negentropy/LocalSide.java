package archy.negentropy;

import archy.nostr.Event;
import archy.nostr.Filter;
import archy.store.EventRecord;
import archy.store.EventStore;
import archy.store.SaveResult;
import archy.store.StoredEvent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * This node's side of a {@link RelaySync}: what it holds for a filter, where fetched events go and the events it
 * publishes. {@code archy sync} opens the store itself; a plugin goes through its {@code EventGateway}, so fetched
 * events meet the node's policies.
 */
public interface LocalSide {
  /** The keys of the stored events matching the filter, newest first, at most {@code limit}. */
  void records(Filter filter, int limit, Predicate<EventRecord> sink);

  /** Stores a fetched event (its signature already checked); completes true when it was stored as new. */
  CompletableFuture<Boolean> save(Event event);

  /** The JSON of those of these stored events that are still there. */
  List<String> json(Collection<String> ids);

  static LocalSide of(EventStore store, LongSupplier now) {
    return new LocalSide() {
      @Override
      public void records(Filter filter, int limit, Predicate<EventRecord> sink) {
        store.records(filter, limit, now.getAsLong(), sink);
      }

      @Override
      public CompletableFuture<Boolean> save(Event event) {
        return store.save(event).thenApply(r -> r instanceof SaveResult.Saved);
      }

      @Override
      public List<String> json(Collection<String> ids) {
        List<String> out = new ArrayList<>();
        store.query(byIds(ids), ids.size(), now.getAsLong(), row -> out.add(row.json()));
        return out;
      }
    };
  }

  /** A filter for exactly these ids. */
  static Filter byIds(Collection<String> ids) {
    return new Filter(Set.copyOf(ids), Set.of(), Set.of(), Map.of(), null, null, null);
  }

  /** The JSON of query rows, for {@link #json} implementations over a list-returning query. */
  static List<String> jsonOf(List<StoredEvent> rows) {
    return rows.stream().map(StoredEvent::json).toList();
  }
}
