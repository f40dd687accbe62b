package archy.film.index;

import archy.nostr.Event;
import archy.nostr.EventParser;
import archy.nostr.Filter;
import archy.nostr.InvalidEventException;
import archy.plugin.EventGateway;
import archy.store.StoredEvent;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Walks every stored event of a kind, newest first, through the gateway's query (which clamps its limit),
 * paging with {@code until}. Events sharing the boundary second are fetched again and skipped by id.
 */
final class StoredScan {
  private static final Logger log = LoggerFactory.getLogger(StoredScan.class);
  private static final int PAGE = 500;
  /** Stored events were verified when they arrived; checking their signatures again would only cost time. */
  private static final EventParser PARSER = new EventParser((signature, message, publicKey) -> true);

  private StoredScan() {}

  /** @param author only this author's events, or null for everyone's */
  static void forEach(EventGateway events, int kind, String author, Consumer<Event> consumer) {
    Set<String> authors = author == null ? Set.of() : Set.of(author);
    Long until = null;
    Set<String> seenAtUntil = new HashSet<>();
    while (true) {
      Filter filter = new Filter(Set.of(), authors, Set.of(kind), Map.of(), null, until, PAGE);
      List<StoredEvent> page = events.query(filter, PAGE);
      if (page.isEmpty()) return;
      boolean fresh = false;
      long oldest = Long.MAX_VALUE;
      for (StoredEvent stored : page) {
        oldest = Math.min(oldest, stored.createdAt());
        if (until != null && stored.createdAt() == until && seenAtUntil.contains(stored.id())) continue;
        fresh = true;
        try {
          consumer.accept(PARSER.parse(stored.json()));
        } catch (InvalidEventException e) {
          log.warn("stored event {} does not parse: {}", stored.id(), e.getMessage());
        }
      }
      if (!fresh) {
        // Only the boundary second came back again: step past it (the end, unless a full page shares it).
        if (page.size() >= PAGE) {
          log.warn("over {} kind {} events share created_at {}; some may be skipped", PAGE, kind, until);
        }
        if (until == 0) return;
        until = until - 1;
        seenAtUntil = new HashSet<>();
        continue;
      }
      if (until == null || oldest != until) seenAtUntil = new HashSet<>();
      for (StoredEvent stored : page) {
        if (stored.createdAt() == oldest) seenAtUntil.add(stored.id());
      }
      until = oldest;
    }
  }
}
