package archy.relay;

import archy.nostr.Event;
import archy.nostr.Filter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Inverted index of open subscriptions, so a new event is matched only against filters that share a
 * field with it instead of against every open filter (strfry's "monitor sets").
 *
 * <p>Each filter is filed under exactly one of its conditions, the most selective one present: ids,
 * then authors, then its first tag condition, then kinds; a filter with none of those goes to the
 * small "unindexed" set. Every event matching the filter necessarily matches the condition it is filed
 * under, so looking up the event's id, author, tags and kind finds every candidate; the full filter is
 * then checked on the candidates only.
 */
final class SubscriptionIndex {
  private record Entry(Subscription subscription, Filter filter) {}

  private final Map<String, Set<Entry>> byId = new ConcurrentHashMap<>();
  private final Map<String, Set<Entry>> byAuthor = new ConcurrentHashMap<>();
  private final Map<String, Set<Entry>> byTag = new ConcurrentHashMap<>();
  private final Map<Integer, Set<Entry>> byKind = new ConcurrentHashMap<>();
  private final Set<Entry> unindexed = ConcurrentHashMap.newKeySet();
  private final Map<Subscription, List<Runnable>> removals = new ConcurrentHashMap<>();

  void add(Subscription subscription) {
    List<Runnable> undo = new ArrayList<>();
    for (Filter filter : subscription.filters) {
      Entry entry = new Entry(subscription, filter);
      if (!filter.ids().isEmpty()) {
        for (String id : filter.ids()) undo.add(file(byId, id, entry));
      } else if (!filter.authors().isEmpty()) {
        for (String author : filter.authors()) undo.add(file(byAuthor, author, entry));
      } else if (!filter.tags().isEmpty()) {
        Map.Entry<String, Set<String>> condition = filter.tags().entrySet().iterator().next();
        for (String value : condition.getValue()) undo.add(file(byTag, tagKey(condition.getKey(), value), entry));
      } else if (!filter.kinds().isEmpty()) {
        for (Integer kind : filter.kinds()) undo.add(file(byKind, kind, entry));
      } else {
        unindexed.add(entry);
        undo.add(() -> unindexed.remove(entry));
      }
    }
    removals.put(subscription, undo);
  }

  void remove(Subscription subscription) {
    List<Runnable> undo = removals.remove(subscription);
    if (undo != null) undo.forEach(Runnable::run);
  }

  int size() {
    return removals.size();
  }

  /** Calls {@code action} once for every open subscription with a filter matching the event. */
  void forEachMatch(Event event, Consumer<Subscription> action) {
    Set<Subscription> matched = Collections.newSetFromMap(new IdentityHashMap<>());
    Consumer<Set<Entry>> check = entries -> {
      if (entries == null) return;
      for (Entry entry : entries) {
        if (entry.subscription.isOpen() && !matched.contains(entry.subscription) && entry.filter.matches(event)) {
          matched.add(entry.subscription);
        }
      }
    };
    check.accept(byId.get(event.id()));
    check.accept(byAuthor.get(event.pubkey()));
    check.accept(byKind.get(event.kind()));
    for (List<String> tag : event.tags()) {
      if (tag.size() >= 2 && tag.get(0).length() == 1) check.accept(byTag.get(tagKey(tag.get(0), tag.get(1))));
    }
    check.accept(unindexed);
    matched.forEach(action);
  }

  private static String tagKey(String name, String value) {
    return name + ':' + value;
  }

  private static <K> Runnable file(Map<K, Set<Entry>> index, K key, Entry entry) {
    // add and remove both run inside compute so an entry is never added to a set just dropped from the map
    index.compute(key, (k, set) -> {
      Set<Entry> entries = set != null ? set : ConcurrentHashMap.newKeySet();
      entries.add(entry);
      return entries;
    });
    return () -> index.computeIfPresent(key, (k, set) -> {
      set.remove(entry);
      return set.isEmpty() ? null : set;
    });
  }
}
