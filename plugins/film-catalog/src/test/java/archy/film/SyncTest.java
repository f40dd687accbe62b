package archy.film;

import static archy.film.CatalogNode.ds;
import static archy.film.CatalogNode.list;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.nostr.Keys;
import archy.testing.TestNode;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real nodes: B follows A's catalog over WebSocket, catches up after downtime and survives A restarting; by
 * NIP-77 where A serves it, by paging REQs where A has it turned off.
 */
class SyncTest {
  static final String RECONCILED = "archy_film_sync_reconciliations_total";
  static final String NO_NIP77 = "[relay]\nnegentropy_max_sessions = 0\n";
  @TempDir Path dirA;
  @TempDir Path dirB;
  final Keys publisher = Keys.generate();

  static long now() {
    return System.currentTimeMillis() / 1000;
  }

  static JsonNode awaitSynced(CatalogNode node, Predicate<JsonNode> until) throws Exception {
    long deadline = System.nanoTime() + 30_000_000_000L;
    JsonNode page = node.catalog("?limit=100");
    while (!until.test(page)) {
      if (System.nanoTime() > deadline) throw new AssertionError("never synced; last page: " + page);
      Thread.sleep(50);
      page = node.catalog("?limit=100");
    }
    return page;
  }

  static Predicate<JsonNode> has(String... ds) {
    return page -> ds(page).containsAll(List.of(ds));
  }

  @Test
  void aFilmPublishedToAAppearsOnBAndBCatchesUpAfterDowntime() throws Exception {
    Keys peer = Keys.generate();
    String trust = "trusted_publishers = " + list(publisher.publicKeyHex()) + "\nfederation_peers = " + list(peer.publicKeyHex());
    try (CatalogNode a = CatalogNode.start(dirA, trust, "")) {
      Films.Film first = Films.film(publisher, "first");
      a.accept(first.sign());
      a.accept(Films.advert(peer, first.playlistBlake3(), first, now() + 3600, List.of()));
      String upstream = trust + "\nupstream_relays = " + list(a.wsUrl());
      long firstStart = now();
      try (CatalogNode b = CatalogNode.start(dirB, upstream, "")) {
        JsonNode page = awaitSynced(b, p -> ds(p).equals(List.of("first"))
            && p.path("films").path(0).path("availability").path("seeders").asInt() == 1);
        assertEquals(first.masterSha256(), page.path("films").path(0).path("master_url").asText().substring(1, 65));
        assertEquals(List.of(peer.publicKeyHex()), b.service().seeders(null, first.segmentBlake3(0)).stream().map(Seeder::pubkey).toList());

        assertCaughtUpBy(b, "nip77");

        Films.Film live = Films.film(publisher, "live");
        a.accept(live.sign());
        awaitSynced(b, has("first", "live"));
      }
      assertTrue(cursor(dirB, a.wsUrl()) >= firstStart, "B saved how far it got");

      a.accept(Films.film(publisher, "while-down").sign());
      try (CatalogNode b = CatalogNode.start(dirB, upstream, "")) {
        awaitSynced(b, has("first", "live", "while-down"));
      }
    }
  }

  @Test
  void trustListsSyncBeforeTheFilmsTheyVouchFor() throws Exception {
    Keys root = Keys.generate();
    String roots = "film_roots = " + list(root.publicKeyHex());
    try (CatalogNode a = CatalogNode.start(dirA, roots, "")) {
      a.accept(Films.trustList(root, now(), publisher.publicKeyHex()));
      TrustTest.await(() -> a.service().isTrustedPublisher(publisher.publicKeyHex()), "A trusts the publisher");
      for (int i = 0; i < 3; i++) a.accept(Films.film(publisher, "vouched-" + i).createdAt(now() - i).sign());
      try (CatalogNode b = CatalogNode.start(dirB, roots + "\nupstream_relays = " + list(a.wsUrl()), "")) {
        awaitSynced(b, has("vouched-0", "vouched-1", "vouched-2"));
        // The root drops the publisher upstream: B hears it live and delists.
        a.accept(Films.trustList(root, now() + 1, Keys.generate().publicKeyHex()));
        awaitSynced(b, p -> ds(p).isEmpty());
      }
    }
  }

  @Test
  void reconnectsWhenTheUpstreamComesBack() throws Exception {
    String trust = "trusted_publishers = " + list(publisher.publicKeyHex());
    int portA = TestNode.freePort();
    CatalogNode a = CatalogNode.start(dirA, portA, trust, "", Clock.systemUTC());
    try (CatalogNode b = CatalogNode.start(dirB, trust + "\nupstream_relays = " + list(a.wsUrl()), "")) {
      a.accept(Films.film(publisher, "before").sign());
      awaitSynced(b, has("before"));
      a.close();
      a = CatalogNode.start(dirA, portA, trust, "", Clock.systemUTC());
      a.accept(Films.film(publisher, "after").sign());
      awaitSynced(b, has("before", "after"));
    } finally {
      a.close();
    }
  }

  @Test
  void catchUpReconcilesMoreThanOneRequestLimitByNip77() throws Exception {
    bulk("", "nip77");
  }

  @Test
  void catchUpPagesThroughMoreThanOneRequestLimitWhereTheUpstreamHasNoNip77() throws Exception {
    bulk(NO_NIP77, "paging");
  }

  /** 1,200 films, 3 a second, on A: all reach B, by the given method only. */
  private void bulk(String relayA, String method) throws Exception {
    String trust = "trusted_publishers = " + list(publisher.publicKeyHex());
    String limits = "events_per_second = 10000\nevent_burst = 10000\n";
    try (CatalogNode a = CatalogNode.start(dirA, trust, relayA.isEmpty() ? "[relay]\n" + limits : relayA + limits)) {
      long base = now() - 5000;
      for (int i = 0; i < 1200; i++) a.accept(Films.film(publisher, "bulk-" + i).createdAt(base + i / 3).sign());
      try (CatalogNode b = CatalogNode.start(dirB, trust + "\nupstream_relays = " + list(a.wsUrl()), "")) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (count(b) < 1200) {
          if (System.nanoTime() > deadline) throw new AssertionError("only " + count(b) + " of 1200 films synced");
          Thread.sleep(100);
        }
        assertCaughtUpBy(b, method);
      }
    }
  }

  /** Without NIP-77 upstream B pages, and after downtime pages again from its saved cursor. */
  @Test
  void anUpstreamWithoutNip77IsPagedAndCaughtUpAfterDowntime() throws Exception {
    String trust = "trusted_publishers = " + list(publisher.publicKeyHex());
    try (CatalogNode a = CatalogNode.start(dirA, trust, NO_NIP77)) {
      a.accept(Films.film(publisher, "first").sign());
      String upstream = trust + "\nupstream_relays = " + list(a.wsUrl());
      long firstStart = now();
      try (CatalogNode b = CatalogNode.start(dirB, upstream, "")) {
        awaitSynced(b, has("first"));
        a.accept(Films.film(publisher, "live").sign());
        awaitSynced(b, has("first", "live"));
        assertCaughtUpBy(b, "paging");
      }
      assertTrue(cursor(dirB, a.wsUrl()) >= firstStart, "B saved how far it got");
      a.accept(Films.film(publisher, "while-down").sign());
      try (CatalogNode b = CatalogNode.start(dirB, upstream, "")) {
        awaitSynced(b, has("first", "live", "while-down"));
      }
    }
  }

  /** Once the catch-up is over (lag 0), every filter was reconciled by {@code method} ("nip77", "paging") alone. */
  static void assertCaughtUpBy(CatalogNode b, String method) throws Exception {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (b.metric("archy_film_sync_lag_seconds", "upstream") != 0) {
      if (System.nanoTime() > deadline) throw new AssertionError("B never caught up");
      Thread.sleep(50);
    }
    String other = method.equals("nip77") ? "paging" : "nip77";
    assertTrue(b.metric(RECONCILED, "method=\"" + method + "\"") > 0, "B reconciled by " + method);
    assertEquals(0, b.metric(RECONCILED, "method=\"" + other + "\""), "B never used " + other);
  }

  private static int count(CatalogNode node) throws Exception {
    int n = 0;
    String q = "?limit=100";
    while (true) {
      JsonNode page = node.catalog(q);
      n += page.path("films").size();
      if (page.path("next_cursor").isNull()) return n;
      q = "?limit=100&cursor=" + page.path("next_cursor").asText();
    }
  }

  private static long cursor(Path dir, String upstream) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("archy.db"));
         ResultSet rs = c.createStatement().executeQuery("SELECT since FROM film_catalog_upstreams WHERE url = '" + upstream + "'")) {
      return rs.next() ? rs.getLong(1) : -1;
    }
  }
}
