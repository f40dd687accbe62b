package archy.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import archy.nostr.Event;
import archy.testing.PostgresSchema;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The contract on the real PostgreSQL server (127.0.0.1:5432, user postgres, database test), in a schema of
 * its own that is dropped afterwards; plus what only PostgreSQL does: several relay processes on one schema.
 * Without a server the class is skipped, except under CI=true where that is a failure.
 */
class PostgresEventStoreTest extends EventStoreContract {
  private static PostgresSchema schema;

  @BeforeAll
  static void createSchema() {
    schema = PostgresSchema.create();
  }

  @AfterAll
  static void dropSchema() throws SQLException {
    if (schema != null) schema.close();
  }

  @Override
  protected Database openDatabase() throws SQLException {
    Database database = open();
    Migrations.apply(database.dataSource(), database.dialect(), "events", getClass().getClassLoader());
    try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute("TRUNCATE events, tags, deleted_events, deleted_addresses RESTART IDENTITY CASCADE");
    }
    return database;
  }

  private static Database open() {
    return Database.open(schema.storageUrl(), Path.of("."));
  }

  @Test
  void eventsSavedByAnotherProcessArrive() throws Exception {
    BlockingQueue<Event> ownEcho = new LinkedBlockingQueue<>();
    store.onRemoteEvent(ownEcho::add);
    try (Database otherDb = open(); JdbcEventStore other = JdbcEventStore.open(otherDb)) {
      BlockingQueue<Event> received = new LinkedBlockingQueue<>();
      other.onRemoteEvent(received::add);

      Event small = saved(event(ALICE, T, 1, List.of(List.of("t", "live")), "small"));
      Event big = saved(event(ALICE, T + 1, 1, List.of(), "é".repeat(5_000))); // over NOTIFY's 8,000 bytes
      Event first = received.poll(10, TimeUnit.SECONDS);
      Event second = received.poll(10, TimeUnit.SECONDS);
      assertNotNull(second);
      assertEquals(List.of(small.id(), big.id()), List.of(first.id(), second.id()));
      assertEquals(big.json(), second.json());
      assertEquals(small.tags(), first.tags());

      Event fromOther = event(BOB, T, 1, List.of(), "the other way");
      assertEquals(new SaveResult.Saved(List.of()), other.save(fromOther).get(10, TimeUnit.SECONDS));
      assertEquals(fromOther.id(), ownEcho.poll(10, TimeUnit.SECONDS).id());
      assertNull(received.poll(300, TimeUnit.MILLISECONDS), "a process does not hear its own events");
      assertNull(ownEcho.poll(100, TimeUnit.MILLISECONDS));
    }
  }

  @Test
  void listenerCatchesUpAfterLosingItsConnection() throws Exception {
    try (Database otherDb = open(); JdbcEventStore other = JdbcEventStore.open(otherDb)) {
      BlockingQueue<Event> received = new LinkedBlockingQueue<>();
      other.onRemoteEvent(received::add);
      try (Connection c = DriverManager.getConnection(PostgresSchema.ADMIN_URL); Statement s = c.createStatement()) {
        s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '"
            + other.listenerName() + "'");
      }
      List<String> sent = new ArrayList<>();
      for (int i = 0; i < 3; i++) sent.add(saved(event(ALICE, T + i, 1, List.of(), "while away " + i)).id());
      List<String> got = new ArrayList<>();
      for (int i = 0; i < 3; i++) got.add(received.poll(15, TimeUnit.SECONDS).id());
      assertEquals(sent, got);
      assertNull(received.poll(300, TimeUnit.MILLISECONDS), "nothing twice");
    }
  }

  /** Any login to the database may NOTIFY the channel: what it says must not reach subscribers or the cursor. */
  @Test
  void forgedNotificationsNeitherInjectEventsNorMoveTheCatchUpCursor() throws Exception {
    try (Database otherDb = open(); JdbcEventStore other = JdbcEventStore.open(otherDb)) {
      BlockingQueue<Event> received = new LinkedBlockingQueue<>();
      other.onRemoteEvent(received::add);
      String channel = PgNotifier.channelFor(schema.name);
      String unsigned = "{\"id\":\"" + "ab".repeat(32) + "\",\"pubkey\":\"" + ALICE + "\",\"created_at\":" + T
          + ",\"kind\":1,\"tags\":[],\"content\":\"forged\",\"sig\":\"" + "00".repeat(64) + "\"}";
      try (Connection raw = DriverManager.getConnection(PostgresSchema.ADMIN_URL);
           PreparedStatement notify = raw.prepareStatement("SELECT pg_notify(?, ?)")) {
        notify.setString(1, channel);
        for (String payload : List.of("f00d 4242 " + unsigned, "4242 " + unsigned, unsigned, "999999999999",
            "f00d 999999999999", "f00d #999999999999")) {
          notify.setString(2, payload);
          notify.executeQuery().close();
        }
      }
      Event real = saved(event(ALICE, T, 1, List.of(), "real"));
      assertEquals(real.id(), received.poll(10, TimeUnit.SECONDS).id(), "the real event, and nothing forged");
      assertNull(received.poll(300, TimeUnit.MILLISECONDS));

      // After a lost connection the listener re-reads from its cursor: a forged seq must not have moved it.
      try (Connection c = DriverManager.getConnection(PostgresSchema.ADMIN_URL); Statement s = c.createStatement()) {
        s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '"
            + other.listenerName() + "'");
      }
      List<String> sent = new ArrayList<>();
      for (int i = 1; i <= 3; i++) sent.add(saved(event(ALICE, T + i, 1, List.of(), "while away " + i)).id());
      List<String> got = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        Event e = received.poll(15, TimeUnit.SECONDS);
        assertNotNull(e, "caught up on " + sent + ", got only " + got);
        got.add(e.id());
      }
      assertEquals(sent, got);
    }
  }

  /** NIP-09 across processes: whichever commits first, a deleted event must not stay stored. */
  @Test
  void aPublishAndItsDeletionRacingOnTwoProcessesEndAsOnOne() throws Exception {
    try (Database otherDb = open(); JdbcEventStore other = JdbcEventStore.open(otherDb)) {
      for (int round = 0; round < 3; round++) {
        List<Event> targets = new ArrayList<>();
        List<Event> deletions = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
          long t = T + round * 1_000 + i;
          Event target = i % 2 == 0
              ? event(ALICE, t, 1, List.of(), "to be deleted " + round + "/" + i)
              : event(ALICE, t, 30023, List.of(List.of("d", "article-" + round + "-" + i)), "to be deleted");
          String ref = i % 2 == 0 ? target.id() : "30023:" + ALICE + ":article-" + round + "-" + i;
          targets.add(target);
          deletions.add(event(ALICE, t + 1, 5, List.of(List.of(i % 2 == 0 ? "e" : "a", ref)), "gone"));
        }
        List<CompletableFuture<SaveResult>> futures = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
          futures.add(store.save(targets.get(i)));
          futures.add(other.save(deletions.get(i)));
        }
        for (var f : futures) f.get(60, TimeUnit.SECONDS);
        List<String> left = new ArrayList<>();
        for (Event target : targets) left.addAll(query(filter().ids(target.id()).build()));
        assertEquals(List.of(), left, "round " + round + ": deleted events still stored");
        // And the deleted ones stay deleted when they arrive again.
        assertInstanceOf(SaveResult.Refused.class, save(targets.get(0)));
        assertInstanceOf(SaveResult.Refused.class, save(targets.get(1)));
      }
    }
  }

  @Test
  void racingProcessesKeepOnlyTheNewestVersionOfAnAddress() throws Exception {
    try (Database otherDb = open(); JdbcEventStore other = JdbcEventStore.open(otherDb)) {
      for (int round = 0; round < 5; round++) {
        String d = "race-" + round;
        List<Event> versions = new ArrayList<>();
        for (int i = 0; i < 40; i++) versions.add(event(ALICE, T + i % 20, 30000, List.of(List.of("d", d)), "v" + i));
        Collections.shuffle(versions);
        List<CompletableFuture<SaveResult>> futures = new ArrayList<>();
        for (int i = 0; i < versions.size(); i++) {
          futures.add((i % 2 == 0 ? store : other).save(versions.get(i)));
        }
        for (var f : futures) f.get(30, TimeUnit.SECONDS);
        Event newest = versions.stream().max(Comparator.comparingLong(Event::createdAt)
            .thenComparing(Event::id, Comparator.reverseOrder())).orElseThrow();
        assertEquals(ids(newest), query(filter().tag("d", d).build()));
        assertEquals(ids(newest), query(filter().authors(ALICE).kinds(30000).tag("d", d).build()));
      }
      assertEquals(5, store.stats().events());
    }
  }
}
