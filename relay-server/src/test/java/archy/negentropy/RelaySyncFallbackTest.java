package archy.negentropy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.nostr.Event;
import archy.nostr.EventParser;
import archy.nostr.EventSigner;
import archy.nostr.Keys;
import archy.nostr.RelaySocket;
import archy.nostr.Schnorr;
import archy.store.Database;
import archy.store.JdbcEventStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RelaySync} against a real relay without NIP-77 (one that answers NEG-OPEN with a NOTICE, one that does
 * not answer): it pages, both sides end with the union, and later filters on the connection page at once.
 */
class RelaySyncFallbackTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  final Keys alice = Keys.generate();
  final long base = System.currentTimeMillis() / 1000 - 10_000;

  @Test
  void aNoticeMeansPagingAndTheRelayIsNotAskedForNip77Again() throws Exception {
    List<Event> remote = notes(0, 1300); // 3 a second: pages of 500 overlap at their last second
    List<Event> localOnly = notes(1300, 40);
    try (NoNip77Relay relay = new NoNip77Relay(NoNip77Relay.Refusal.NOTICE, remote);
         Database db = Database.open("sqlite", dir);
         JdbcEventStore store = JdbcEventStore.open(db)) {
      for (Event e : localOnly) store.save(e).join();
      List<String> log = new ArrayList<>();
      RelaySync sync = new RelaySync(LocalSide.of(store, () -> System.currentTimeMillis() / 1000),
          new EventParser(Schnorr.verifier()), log::add, Duration.ofSeconds(15));
      try (RelaySocket ws = RelaySocket.connect(relay.wsUrl())) {
        RelaySync.Report r = sync.sync(ws, relay.wsUrl(), byAlice(), null, true, true);
        assertEquals(RelaySync.Method.PAGING, r.method(), log.toString());
        assertTrue(r.refusal().contains("ERROR: unknown cmd"), r.refusal());
        assertEquals(1300, r.need());
        assertEquals(1300, r.stored());
        assertEquals(40, r.have());
        assertEquals(40, r.published());
        assertTrue(r.roundTrips() >= 3, "several pages: " + r.roundTrips());

        int reqs = relay.reqs.get();
        RelaySync.Report again = sync.sync(ws, relay.wsUrl(), byAlice(), null, true, false);
        assertEquals(RelaySync.Method.PAGING, again.method());
        assertEquals(0, again.need(), "nothing left to fetch");
        assertEquals(1, relay.negOpens.get(), "a relay that showed it has no NIP-77 is paged at once");
        assertTrue(relay.reqs.get() > reqs);
      }
      assertEquals(ids(remote, localOnly), ids(relay.events, List.of()), "the relay got ours");
      List<String> stored = new ArrayList<>();
      store.query(LocalSide.byIds(ids(remote, localOnly)), 5000, System.currentTimeMillis() / 1000,
          row -> stored.add(row.id()));
      assertEquals(ids(remote, localOnly), new TreeSet<>(stored), "we got the relay's");
    }
  }

  /** A relay that ignores NEG-OPEN is paged after the open timeout, from the caller's cursor only. */
  @Test
  void silenceMeansPagingFromTheCursorAfterTheOpenTimeout() throws Exception {
    List<Event> remote = notes(0, 600);
    long cursor = base + 100; // notes 300 and on, 3 a second
    try (NoNip77Relay relay = new NoNip77Relay(NoNip77Relay.Refusal.SILENCE, remote);
         Database db = Database.open("sqlite", dir);
         JdbcEventStore store = JdbcEventStore.open(db)) {
      RelaySync sync = new RelaySync(LocalSide.of(store, () -> System.currentTimeMillis() / 1000),
          new EventParser(Schnorr.verifier()), line -> { }, Duration.ofMillis(300));
      long start = System.nanoTime();
      RelaySync.Report r = sync.sync(relay.wsUrl(), byAlice(), cursor, true, false);
      assertTrue(System.nanoTime() - start >= 300_000_000L, "waited for an answer first");
      assertEquals(RelaySync.Method.PAGING, r.method());
      assertTrue(r.refusal().contains("did not answer NEG-OPEN"), r.refusal());
      List<Event> fromCursor = remote.stream().filter(e -> e.createdAt() >= cursor).toList();
      assertEquals(300, fromCursor.size());
      assertEquals(fromCursor.size(), r.stored(), "only what the cursor leaves to fetch");
    }
  }

  private List<Event> notes(int from, int count) {
    List<Event> out = new ArrayList<>();
    for (int i = from; i < from + count; i++) out.add(EventSigner.sign(alice, base + i / 3, 1, List.of(), "n" + i));
    return out;
  }

  private ObjectNode byAlice() {
    ObjectNode f = JSON.createObjectNode();
    f.putArray("kinds").add(1);
    f.putArray("authors").add(alice.publicKeyHex());
    return f;
  }

  private static Set<String> ids(List<Event> a, List<Event> b) {
    Set<String> out = new TreeSet<>();
    a.forEach(e -> out.add(e.id()));
    b.forEach(e -> out.add(e.id()));
    return out;
  }
}
