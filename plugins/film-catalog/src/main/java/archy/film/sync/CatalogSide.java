package archy.film.sync;

import archy.negentropy.LocalSide;
import archy.nostr.Event;
import archy.nostr.Filter;
import archy.plugin.EventGateway;
import archy.plugin.Origin;
import archy.store.EventRecord;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * The node's side of a catalog catch-up: its stored events by the host's gateway, and fetched ones published
 * through it as {@link Origin#INTERNAL} (the checks a client's EVENT meets), only those the sync asked for.
 */
record CatalogSide(EventGateway events, Predicate<Event> wanted) implements LocalSide {
  @Override
  public void records(Filter filter, int limit, Predicate<EventRecord> sink) {
    events.records(filter, limit, sink);
  }

  @Override
  public CompletableFuture<Boolean> save(Event event) {
    if (!wanted.test(event)) return CompletableFuture.completedFuture(false);
    return events.publish(event, Origin.INTERNAL).thenApply(EventGateway.Published::accepted);
  }

  @Override
  public List<String> json(Collection<String> ids) {
    return LocalSide.jsonOf(events.query(LocalSide.byIds(ids), ids.size()));
  }
}
