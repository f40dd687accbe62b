package archy.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.nostr.Event;
import archy.nostr.EventJson;
import archy.nostr.Filter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link EventStore} back end must do; one subclass per database. */
abstract class EventStoreContract {
  static final long T = 1_700_000_000L;
  static final String ALICE = pubkey(1);
  static final String BOB = pubkey(2);

  protected Database db;
  protected JdbcEventStore store;

  /** A database with the events tables present and empty. */
  protected abstract Database openDatabase() throws Exception;

  @BeforeEach
  void openStore() throws Exception {
    db = openDatabase();
    store = JdbcEventStore.open(db);
  }

  @AfterEach
  void closeStore() {
    if (store != null) store.close();
    if (db != null) db.close();
  }

  // ---- round trip and filters

  @Test
  void savedEventComesBackAsStored() throws Exception {
    Event e = event(ALICE, T, 1, List.of(List.of("t", "nostr")), "hello \"world\"\n\u0001");
    assertEquals(new SaveResult.Saved(List.of()), save(e));
    List<StoredEvent> rows = new ArrayList<>();
    store.query(filter().ids(e.id()).build(), 10, T, rows::add);
    assertEquals(List.of(new StoredEvent(e.id(), ALICE, 1, T, e.json())), rows);
    assertEquals(new StoreStats(1, e.json().getBytes(java.nio.charset.StandardCharsets.UTF_8).length), store.stats());
  }

  @Test
  void deleteRemovesTheEventAndItsTags() throws Exception {
    Event tagged = saved(event(ALICE, T, 1, List.of(List.of("t", "ban-me")), "a"));
    Event other = saved(event(ALICE, T + 1, 1, List.of(List.of("t", "ban-me")), "b"));
    assertTrue(store.delete(tagged.id()));
    assertEquals(false, store.delete(tagged.id()), "a second delete finds nothing");
    assertEquals(ids(other), query(filter().build()));
    assertEquals(ids(other), query(filter().tag("t", "ban-me").build()), "its tag rows went with it");
  }

  @Test
  void everyFilterFieldNarrowsTheResult() throws Exception {
    Event a1 = saved(event(ALICE, T, 1, List.of(), "a1"));
    Event a2 = saved(event(ALICE, T + 10, 7, List.of(), "a2"));
    Event b1 = saved(event(BOB, T + 20, 1, List.of(), "b1"));
    Event b2 = saved(event(BOB, T + 30, 7, List.of(), "b2"));
    assertEquals(ids(b2, b1, a2, a1), query(filter().build()));
    assertEquals(ids(b1, a1), query(filter().ids(a1.id(), b1.id()).build()));
    assertEquals(ids(a2, a1), query(filter().authors(ALICE).build()));
    assertEquals(ids(b2, a2), query(filter().kinds(7).build()));
    assertEquals(ids(b2), query(filter().authors(BOB).kinds(7).build()));
    assertEquals(ids(b2, b1, a2), query(filter().since(T + 10).build()), "since is inclusive");
    assertEquals(ids(b1, a2, a1), query(filter().until(T + 20).build()), "until is inclusive");
    assertEquals(ids(b1, a2), query(filter().since(T + 10).until(T + 20).build()));
    assertEquals(ids(a2), query(filter().authors(ALICE, BOB).kinds(7, 9).until(T + 29).build()));
    assertEquals(List.of(), query(filter().ids(pubkey(99)).build()));
    assertEquals(List.of(), query(filter().since(T + 31).build()));
  }

  @Test
  void tagFilters() throws Exception {
    Event x = saved(event(ALICE, T, 1, List.of(List.of("t", "x"), List.of("p", BOB)), "x"));
    Event xy = saved(event(ALICE, T + 1, 1, List.of(List.of("t", "x"), List.of("t", "y"), List.of("t", "x")), "xy"));
    Event y = saved(event(BOB, T + 2, 2, List.of(List.of("t", "y", "x"), List.of("p", BOB)), "y"));
    Event longName = saved(event(BOB, T + 3, 1, List.of(List.of("tt", "x"), List.of("T", "x")), "long name"));

    assertEquals(ids(xy, x), query(filter().tag("t", "x").build()));
    assertEquals(ids(y, xy), query(filter().tag("t", "y").build()), "only the first value of a tag is indexed");
    assertEquals(ids(y, xy, x), query(filter().tag("t", "x", "y").build()), "an event matching twice appears once");
    assertEquals(ids(y, x), query(filter().tag("p", BOB).build()));
    assertEquals(ids(y, x), query(filter().tag("t", "x", "y").tag("p", BOB).build()), "tag names combine with AND");
    assertEquals(ids(x), query(filter().tag("t", "x", "y").tag("p", BOB).kinds(1).build()));
    assertEquals(ids(y), query(filter().tag("t", "x", "y").authors(BOB).build()));
    assertEquals(ids(xy), query(filter().tag("t", "x", "y").since(T + 1).until(T + 1).build()));
    assertEquals(ids(xy), query(filter().tag("t", "y").ids(xy.id(), x.id()).build()));
    assertEquals(ids(longName), query(filter().tag("T", "x").build()), "tag names are case-sensitive");
    assertEquals(List.of(), query(filter().tag("t", "z").build()));
    assertEquals(2, query(filter().tag("t", "x", "y").build(), 2).size());
    assertEquals(3, store.count(List.of(filter().tag("t", "x", "y").build()), T));
  }

  /** Few values run as one ordered branch per value, many as one IN list: the answers must agree. */
  @Test
  void fewAndManyValuesGiveTheSameAnswer() throws Exception {
    List<Event> all = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      String author = pubkey(100 + i % 3);
      List<List<String>> tags = List.of(List.of("t", "v" + i % 4), List.of("t", "v" + (i + 1) % 4));
      all.add(saved(event(author, T + i % 7, i % 2 == 0 ? 1 : 7, tags, "e" + i)));
    }
    List<String> many = new ArrayList<>(List.of("v0", "v1"));
    for (int i = 0; i < 40; i++) many.add("unused" + i);
    List<String> manyAuthors = new ArrayList<>(List.of(pubkey(100), pubkey(101)));
    for (int i = 0; i < 40; i++) manyAuthors.add(pubkey(500 + i));
    List<Integer> manyKinds = new ArrayList<>(List.of(1, 7));
    for (int i = 0; i < 40; i++) manyKinds.add(1000 + i);

    Filter fewTags = filter().tag("t", "v0", "v1").build();
    Filter manyTags = filter().tag("t", many.toArray(String[]::new)).build();
    List<String> expected = expected(all, fewTags);
    assertEquals(23, expected.size());
    for (int limit : new int[] {1, 5, 500}) {
      assertEquals(expected.subList(0, Math.min(limit, expected.size())), query(fewTags, limit));
      assertEquals(expected.subList(0, Math.min(limit, expected.size())), query(manyTags, limit));
    }
    Filter fewAuthors = filter().authors(pubkey(100), pubkey(101)).kinds(1).since(T + 1).build();
    Filter manyAuthorsFilter = filter().authors(manyAuthors.toArray(String[]::new)).kinds(1).since(T + 1).build();
    assertEquals(expected(all, fewAuthors), query(fewAuthors));
    assertEquals(expected(all, fewAuthors), query(manyAuthorsFilter));
    Filter fewKinds = filter().kinds(1, 7).until(T + 5).tag("t", "v2").build();
    Filter manyKindsFilter = filter().kinds(manyKinds.toArray(Integer[]::new)).until(T + 5).tag("t", "v2").build();
    assertEquals(expected(all, fewKinds), query(fewKinds));
    assertEquals(expected(all, fewKinds), query(manyKindsFilter));
    assertEquals(expected(all, filter().kinds(1, 7).build()).subList(0, 4), query(filter().kinds(1, 7).build(), 4));
    assertEquals(23, store.count(List.of(fewTags), T));
    assertEquals(23, store.count(List.of(manyTags), T));
  }

  /** Authors are checked inside the tag index (tags carry pubkey): every shape agrees with {@link Filter#matches}. */
  @Test
  void authorAndTagCombineInEveryShape() throws Exception {
    List<Event> all = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      all.add(saved(event(pubkey(200 + i % 4), T + i % 9, i % 3 == 0 ? 7 : 1, List.of(List.of("t", "v" + i % 2)), "a" + i)));
    }
    List<String> manyAuthors = new ArrayList<>(List.of(pubkey(200), pubkey(201)));
    for (int i = 0; i < 40; i++) manyAuthors.add(pubkey(700 + i));
    List<String> manyTags = new ArrayList<>(List.of("v0", "v1"));
    for (int i = 0; i < 40; i++) manyTags.add("unused" + i);
    List<Filter> filters = List.of(
        filter().authors(pubkey(200)).tag("t", "v0").build(),
        filter().authors(pubkey(200)).tag("t", "v1").build(),                     // author 200 (even i) never has v1: empty
        filter().authors(pubkey(200), pubkey(201)).tag("t", "v0", "v1").kinds(1).build(),
        filter().authors(manyAuthors.toArray(String[]::new)).tag("t", "v0", "v1").build(),
        filter().authors(pubkey(201)).tag("t", manyTags.toArray(String[]::new)).since(T + 2).build(),
        filter().authors(pubkey(999)).tag("t", "v0").build());
    for (Filter f : filters) {
      List<String> expected = expected(all, f);
      assertEquals(expected, query(f), f::toString);
      assertEquals(expected.size(), store.count(List.of(f), T), f::toString);
    }
    assertEquals(List.of(), query(filters.get(1)), "the empty case is empty");
  }

  /** What a correct store returns, computed with {@link Filter#matches} and the NIP-01 order. */
  static List<String> expected(List<Event> all, Filter f) {
    return all.stream().filter(f::matches)
        .sorted(Comparator.comparingLong(Event::createdAt).reversed().thenComparing(Event::id))
        .map(Event::id).toList();
  }

  @Test
  void newestFirstThenLowerIdFirst() throws Exception {
    List<Event> same = new ArrayList<>();
    for (int i = 0; i < 5; i++) same.add(saved(event(ALICE, T, 1, List.of(List.of("t", "tie")), "tie " + i)));
    Event newest = saved(event(ALICE, T + 1, 1, List.of(List.of("t", "tie")), "newest"));
    Event oldest = saved(event(ALICE, T - 1, 1, List.of(List.of("t", "tie")), "oldest"));
    List<String> expected = new ArrayList<>();
    expected.add(newest.id());
    same.stream().map(Event::id).sorted().forEach(expected::add);
    expected.add(oldest.id());
    assertEquals(expected, query(filter().build()));
    assertEquals(expected, query(filter().authors(ALICE).build()));
    assertEquals(expected, query(filter().kinds(1).build()));
    assertEquals(expected, query(filter().tag("t", "tie").build()));
    assertEquals(expected.subList(0, 3), query(filter().tag("t", "tie").build(), 3));
  }

  @Test
  void limitCapsAndZeroReturnsNothing() throws Exception {
    for (int i = 0; i < 10; i++) saved(event(ALICE, T + i, 1, List.of(), "n" + i));
    assertEquals(3, query(filter().build(), 3).size());
    assertEquals(List.of(), query(filter().build(), 0));
    List<StoredEvent> firstTwo = new ArrayList<>();
    store.query(filter().build(), 10, T, row -> firstTwo.add(row) && firstTwo.size() < 2);
    assertEquals(2, firstTwo.size(), "the sink stops the stream");
  }

  // ---- storage rules

  @Test
  void duplicateIsReported() throws Exception {
    Event e = saved(event(ALICE, T, 1, List.of(), "once"));
    assertEquals(new SaveResult.Duplicate("duplicate: already have this event"), save(e));
    assertEquals(1, store.stats().events());
  }

  @Test
  void replaceableKeepsOnlyTheNewest() throws Exception {
    Event v1 = saved(event(ALICE, T, 0, List.of(), "v1"));
    Event v2 = event(ALICE, T + 5, 0, List.of(), "v2");
    assertEquals(new SaveResult.Saved(List.of(v1.id())), save(v2));
    Event older = event(ALICE, T + 1, 0, List.of(), "older");
    assertEquals(new SaveResult.Refused("duplicate: a newer version of this event is stored"), save(older));
    Event bobs = saved(event(BOB, T, 0, List.of(), "bob's own"));
    assertEquals(ids(v2), query(filter().authors(ALICE).kinds(0).build()));
    assertEquals(ids(bobs), query(filter().authors(BOB).kinds(0).build()));
  }

  @Test
  void replaceableTieGoesToTheLowerId() throws Exception {
    Event[] pair = {event(ALICE, T, 10002, List.of(), "one"), event(ALICE, T, 10002, List.of(), "two")};
    Arrays.sort(pair, Comparator.comparing(Event::id));
    Event low = pair[0], high = pair[1];
    saved(high);
    assertEquals(new SaveResult.Saved(List.of(high.id())), save(low));
    assertEquals(new SaveResult.Refused("duplicate: a newer version of this event is stored"), save(high));
    assertEquals(ids(low), query(filter().authors(ALICE).build()));
  }

  @Test
  void addressableIsReplacedPerDTag() throws Exception {
    Event a1 = saved(event(ALICE, T, 30023, List.of(List.of("d", "a")), "a1"));
    Event b1 = saved(event(ALICE, T, 30023, List.of(List.of("d", "b")), "b1"));
    Event none = saved(event(ALICE, T, 30023, List.of(), "no d tag"));
    Event emptyD = event(ALICE, T + 2, 30023, List.of(List.of("d", "")), "empty d replaces missing d");
    assertEquals(new SaveResult.Saved(List.of(none.id())), save(emptyD));
    Event a2 = event(ALICE, T + 1, 30023, List.of(List.of("d", "a")), "a2");
    assertEquals(new SaveResult.Saved(List.of(a1.id())), save(a2));
    assertEquals(new SaveResult.Refused("duplicate: a newer version of this event is stored"),
        save(event(ALICE, T, 30023, List.of(List.of("d", "a")), "a0")));
    Event bobA = saved(event(BOB, T, 30023, List.of(List.of("d", "a")), "bob's a"));
    assertEquals(ids(emptyD, a2, b1), query(filter().authors(ALICE).build()));
    assertEquals(ids(a2, bobA), query(filter().tag("d", "a").build()));
  }

  @Test
  void deletionByIdRemovesOnlyTheAuthorsOwnEvents() throws Exception {
    Event mine = saved(event(ALICE, T, 1, List.of(), "mine"));
    Event alsoMine = saved(event(ALICE, T, 30023, List.of(List.of("d", "x")), "also mine"));
    Event theirs = saved(event(BOB, T, 1, List.of(), "theirs"));
    Event oldDeletion = saved(event(ALICE, T, 5, List.of(List.of("e", pubkey(77))), "earlier deletion"));
    Event deletion = event(ALICE, T + 1, 5, List.of(List.of("e", mine.id()), List.of("e", alsoMine.id()),
        List.of("e", theirs.id()), List.of("e", oldDeletion.id()), List.of("e", "not-hex")), "");
    SaveResult result = save(deletion);
    assertEquals(Set.of(mine.id(), alsoMine.id()), Set.copyOf(((SaveResult.Saved) result).removedIds()));
    List<String> left = query(filter().build());
    assertEquals(deletion.id(), left.getFirst());
    assertEquals(Set.of(deletion.id(), oldDeletion.id(), theirs.id()), Set.copyOf(left), "kind 5 events are never deleted");
    assertEquals(new SaveResult.Refused("blocked: this event was deleted"), save(mine));
    assertEquals(new SaveResult.Duplicate("duplicate: already have this event"), save(theirs));
  }

  @Test
  void deletionArrivingFirstBlocksTheEventLater() throws Exception {
    Event later = event(ALICE, T, 1, List.of(), "deleted before it arrived");
    saved(event(ALICE, T + 1, 5, List.of(List.of("e", later.id())), ""));
    Event bobsDeletion = event(BOB, T + 1, 5, List.of(List.of("e", pubkey(5))), "");
    saved(bobsDeletion);
    assertEquals(new SaveResult.Refused("blocked: this event was deleted"), save(later));
  }

  @Test
  void deletionByAddressBlocksOlderVersionsButNotNewerOnes() throws Exception {
    Event v1 = saved(event(ALICE, T, 30023, List.of(List.of("d", "post:1")), "v1"));
    Event bobs = saved(event(BOB, T, 30023, List.of(List.of("d", "post:1")), "bob's"));
    Event profile = saved(event(ALICE, T, 0, List.of(), "profile"));
    Event deletion = event(ALICE, T + 10, 5, List.of(List.of("a", "30023:" + ALICE + ":post:1"),
        List.of("a", "30023:" + BOB + ":post:1"), List.of("a", "0:" + ALICE + ":")), "");
    assertEquals(Set.of(v1.id(), profile.id()), Set.copyOf(((SaveResult.Saved) save(deletion)).removedIds()));
    assertEquals(ids(deletion, bobs), query(filter().build()));
    assertEquals(new SaveResult.Refused("blocked: this address was deleted"),
        save(event(ALICE, T + 10, 30023, List.of(List.of("d", "post:1")), "same second as the deletion")));
    assertEquals(new SaveResult.Refused("blocked: this address was deleted"),
        save(event(ALICE, T + 5, 0, List.of(), "old profile")));
    Event v2 = event(ALICE, T + 11, 30023, List.of(List.of("d", "post:1")), "v2");
    assertEquals(new SaveResult.Saved(List.of()), save(v2));
    // an older deletion does not lower the mark
    saved(event(ALICE, T + 12, 5, List.of(List.of("a", "30023:" + ALICE + ":other")), ""));
    saved(event(ALICE, T + 3, 5, List.of(List.of("a", "30023:" + ALICE + ":post:1")), "stale"));
    assertEquals(ids(v2), query(filter().authors(ALICE).kinds(30023).build()));
    assertEquals(new SaveResult.Refused("blocked: this address was deleted"),
        save(event(ALICE, T + 7, 30023, List.of(List.of("d", "post:1")), "between")));
  }

  @Test
  void expiredEventsAreHiddenPurgedAndNeverStored() throws Exception {
    long now = System.currentTimeMillis() / 1000;
    Event expiring = saved(event(ALICE, now, 1, List.of(List.of("expiration", Long.toString(now + 100))), "soon"));
    Event lasting = saved(event(ALICE, now, 1, List.of(), "lasting"));
    assertEquals(2, query(filter().build(), 10, now).size());
    assertEquals(ids(lasting), query(filter().build(), 10, now + 100));
    assertEquals(1, store.count(List.of(filter().build()), now + 100));
    assertEquals(new SaveResult.Refused("invalid: this event has expired"),
        save(event(ALICE, now, 1, List.of(List.of("expiration", Long.toString(now - 1))), "already gone")));
    assertEquals(0, store.purgeExpired(now + 99));
    assertEquals(1, store.purgeExpired(now + 100));
    assertEquals(ids(lasting), query(filter().build(), 10, now));
    assertEquals(new SaveResult.Saved(List.of()), save(event(BOB, now, 1, List.of(), "after purge")));
    assertEquals(2, store.stats().events());
    assertTrue(expiring.expiration() != null);
  }

  @Test
  void countIsDistinctAcrossFilters() throws Exception {
    saved(event(ALICE, T, 1, List.of(List.of("t", "x")), "1"));
    saved(event(ALICE, T, 2, List.of(List.of("t", "y")), "2"));
    saved(event(BOB, T, 1, List.of(List.of("t", "x"), List.of("t", "y")), "3"));
    assertEquals(3, store.count(List.of(filter().authors(ALICE).build(), filter().kinds(1).build()), T));
    assertEquals(3, store.count(List.of(filter().tag("t", "x").build(), filter().tag("t", "y").build()), T));
    assertEquals(2, store.count(List.of(filter().tag("t", "x").build()), T));
    assertEquals(1, store.count(List.of(filter().authors(BOB).build(), filter().tag("t", "x").authors(BOB).build()), T));
    assertEquals(0, store.count(List.of(filter().kinds(9).build()), T));
  }

  // ---- group commit and shutdown

  @Test
  void concurrentSavesAreGroupCommittedAndAllAcknowledged() throws Exception {
    int n = 2_000;
    long commitsBefore = store.commits();
    List<CompletableFuture<SaveResult>> futures = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<CompletableFuture<CompletableFuture<SaveResult>>> submitted = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        Event e = event(pubkey(i % 50 + 10), T + i, 1, List.of(List.of("t", "bulk")), "bulk " + i);
        submitted.add(CompletableFuture.supplyAsync(() -> store.save(e), pool));
      }
      for (var s : submitted) futures.add(s.get(30, TimeUnit.SECONDS));
    }
    for (var f : futures) assertEquals(new SaveResult.Saved(List.of()), f.get(60, TimeUnit.SECONDS));
    long commits = store.commits() - commitsBefore;
    assertTrue(commits < n / 4, () -> n + " saves took " + commits + " commits: no group commit");
    assertEquals(n, store.count(List.of(filter().tag("t", "bulk").build()), T));
    assertEquals(500, query(filter().kinds(1).build(), 500).size());
  }

  @Test
  void closeCommitsQueuedWrites() throws Exception {
    List<CompletableFuture<SaveResult>> futures = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) futures.add(store.save(event(ALICE, T + i, 1, List.of(), "queued " + i)));
    store.close();
    for (var f : futures) assertEquals(new SaveResult.Saved(List.of()), f.getNow(null));
    assertTrue(store.save(event(ALICE, T, 1, List.of(), "too late")).isCompletedExceptionally());
    store = JdbcEventStore.open(db);
    assertEquals(1_000, store.stats().events());
  }

  @Test
  void migrationsAreAppliedOnce() {
    assertEquals(0, Migrations.apply(db.dataSource(), db.dialect(), "events", getClass().getClassLoader()));
    assertEquals(0, Migrations.apply(db.dataSource(), db.dialect(), "no-such-component", getClass().getClassLoader()));
  }

  // ---- helpers

  static String pubkey(int n) {
    return String.format("%064x", n);
  }

  static Event event(String pubkey, long createdAt, int kind, List<List<String>> tags, String content) {
    String id = EventJson.computeId(pubkey, createdAt, kind, tags, content);
    String sig = "5".repeat(128);
    return new Event(id, pubkey, createdAt, kind, tags, content, sig,
        EventJson.toJson(id, pubkey, createdAt, kind, tags, content, sig));
  }

  SaveResult save(Event e) throws Exception {
    return store.save(e).get(30, TimeUnit.SECONDS);
  }

  Event saved(Event e) throws Exception {
    SaveResult result = save(e);
    assertInstanceOf(SaveResult.Saved.class, result, () -> "expected to save " + e + ": " + result);
    return e;
  }

  List<String> query(Filter f) {
    return query(f, 500, T);
  }

  List<String> query(Filter f, int limit) {
    return query(f, limit, T);
  }

  List<String> query(Filter f, int limit, long now) {
    List<String> out = new ArrayList<>();
    store.query(f, limit, now, row -> out.add(row.id()));
    assertEquals(out.size(), new HashSet<>(out).size(), "no event twice");
    return out;
  }

  static List<String> ids(Event... events) {
    return Arrays.stream(events).map(Event::id).toList();
  }

  static FilterBuilder filter() {
    return new FilterBuilder();
  }

  static final class FilterBuilder {
    private Set<String> ids = Set.of(), authors = Set.of();
    private Set<Integer> kinds = Set.of();
    private final Map<String, Set<String>> tags = new HashMap<>();
    private Long since, until;

    FilterBuilder ids(String... v) { ids = Set.of(v); return this; }
    FilterBuilder authors(String... v) { authors = Set.of(v); return this; }
    FilterBuilder kinds(Integer... v) { kinds = Set.of(v); return this; }
    FilterBuilder tag(String name, String... v) { tags.put(name, Set.of(v)); return this; }
    FilterBuilder since(long v) { since = v; return this; }
    FilterBuilder until(long v) { until = v; return this; }
    Filter build() { return new Filter(ids, authors, kinds, tags, since, until, null); }
  }
}
