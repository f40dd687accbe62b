package archy.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import archy.nostr.Event;
import archy.nostr.Filter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The inverted index finds exactly the subscriptions whose filters match, each once. */
class SubscriptionIndexTest {
  private static final String ALICE = "a".repeat(64), BOB = "b".repeat(64);

  static Event event(String id, String pubkey, int kind, List<List<String>> tags) {
    return new Event(id, pubkey, 100, kind, tags, "", "0".repeat(128), "{}");
  }

  static Filter filter(Set<String> ids, Set<String> authors, Set<Integer> kinds, Map<String, Set<String>> tags) {
    return new Filter(ids, authors, kinds, tags, null, null, null);
  }

  static List<String> matches(SubscriptionIndex index, Event e) {
    List<String> out = new ArrayList<>();
    index.forEachMatch(e, s -> out.add(s.id));
    out.sort(String::compareTo);
    return out;
  }

  @Test
  void eachFilterShapeIsFoundThroughItsOwnField() {
    SubscriptionIndex index = new SubscriptionIndex();
    Event e = event("1".repeat(64), ALICE, 1, List.of(List.of("t", "films"), List.of("p", BOB)));
    Subscription byId = new Subscription(null, "by-id", List.of(filter(Set.of(e.id()), Set.of(), Set.of(), Map.of())));
    Subscription byAuthor = new Subscription(null, "by-author", List.of(filter(Set.of(), Set.of(ALICE), Set.of(1), Map.of())));
    Subscription byTag = new Subscription(null, "by-tag", List.of(filter(Set.of(), Set.of(), Set.of(), Map.of("t", Set.of("films")))));
    Subscription byKind = new Subscription(null, "by-kind", List.of(filter(Set.of(), Set.of(), Set.of(1, 7), Map.of())));
    Subscription all = new Subscription(null, "all", List.of(Filter.empty()));
    Subscription twoFilters = new Subscription(null, "two", List.of(
        filter(Set.of(), Set.of(ALICE), Set.of(), Map.of()), filter(Set.of(), Set.of(), Set.of(1), Map.of())));
    Subscription wrongKind = new Subscription(null, "wrong-kind", List.of(filter(Set.of(), Set.of(ALICE), Set.of(2), Map.of())));
    Subscription otherTag = new Subscription(null, "other-tag", List.of(filter(Set.of(), Set.of(), Set.of(), Map.of("p", Set.of(ALICE)))));
    for (Subscription s : List.of(byId, byAuthor, byTag, byKind, all, twoFilters, wrongKind, otherTag)) index.add(s);

    assertEquals(List.of("all", "by-author", "by-id", "by-kind", "by-tag", "two"), matches(index, e));

    index.remove(byAuthor);
    all.close();
    assertEquals(List.of("by-id", "by-kind", "by-tag", "two"), matches(index, e));
    assertEquals(List.of("by-kind", "two"), matches(index, event("2".repeat(64), BOB, 1, List.of())));
  }

  @Test
  void removingTheLastEntryEmptiesTheIndex() {
    SubscriptionIndex index = new SubscriptionIndex();
    Subscription s = new Subscription(null, "s", List.of(filter(Set.of(), Set.of(ALICE), Set.of(), Map.of())));
    index.add(s);
    assertEquals(1, index.size());
    index.remove(s);
    assertEquals(0, index.size());
    assertEquals(List.of(), matches(index, event("3".repeat(64), ALICE, 1, List.of())));
  }
}
