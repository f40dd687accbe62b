package archy.film;

import static archy.film.CatalogNode.ds;
import static archy.film.CatalogNode.list;
import static archy.film.CatalogNode.listing;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.nostr.Event;
import archy.nostr.EventSigner;
import archy.nostr.Keys;
import archy.testing.RelayCalls;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Publisher trust (PROTOCOLS.md §3) and who may advertise seeds (§2.2), through a real relay. */
class TrustTest {
  @TempDir Path dir;
  final Keys root = Keys.generate();
  final Keys publisher = Keys.generate();
  final Keys stranger = Keys.generate();

  static long now() {
    return System.currentTimeMillis() / 1000;
  }

  static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("never happened: " + what);
      Thread.sleep(20);
    }
  }

  @Test
  void untrustedPublishersAreBlocked() throws Exception {
    try (CatalogNode node = CatalogNode.start(dir, "trusted_publishers = " + list(publisher.publicKeyHex()), "")) {
      assertEquals("blocked: untrusted film publisher", node.publish(Films.film(stranger, "nope").sign()));
      // Trust is checked before the shape: an untrusted publisher's broken film is still just "blocked".
      assertEquals("blocked: untrusted film publisher",
          node.publish(Films.film(stranger, "Bad D").content(c -> c.remove("title")).sign()));
      node.accept(Films.film(publisher, "yes").sign());
      node.awaitCatalog("", listing("yes"));
    }
  }

  @Test
  void aFilmRootDelegatesOneLevelAndRemovalDelists() throws Exception {
    try (CatalogNode node = CatalogNode.start(dir, "film_roots = " + list(root.npub()), "")) {
      FilmCatalog catalog = node.service();
      assertEquals("blocked: untrusted film publisher", node.publish(Films.film(publisher, "early").sign()));

      node.accept(Films.trustList(root, now() - 10, publisher.publicKeyHex()));
      await(() -> catalog.isTrustedPublisher(publisher.publicKeyHex()), "the root's list is applied");
      Event film = Films.film(publisher, "delegated").sign();
      node.accept(film);
      node.awaitCatalog("", listing("delegated"));
      assertTrue(!catalog.isTrustedPublisher(root.publicKeyHex()), "a root is not itself a publisher");

      // One level only: the delegated publisher's own list delegates nothing.
      node.accept(Films.trustList(publisher, now(), stranger.publicKeyHex()));
      node.accept(Films.trustList(Keys.generate(), now(), stranger.publicKeyHex()));
      node.accept(Films.film(publisher, "marker").createdAt(now() - 100).sign());
      node.awaitCatalog("", listing("delegated", "marker"));
      assertEquals("blocked: untrusted film publisher", node.publish(Films.film(stranger, "sneaky").sign()));

      // The root's newer list drops the publisher: the films leave the catalog, the events stay.
      node.accept(Films.trustList(root, now(), stranger.publicKeyHex()));
      node.awaitCatalog("", listing());
      assertTrue(catalog.isTrustedPublisher(stranger.publicKeyHex()));
      assertEquals(List.of(film.id()), RelayCalls.req(node.ws, "kept", "{\"ids\":[\"" + film.id() + "\"]}"));
      assertEquals(List.of(), catalog.filmsWithBlob(Films.film(publisher, "x").playlistBlake3()));
      assertEquals("blocked: untrusted film publisher", node.publish(Films.film(publisher, "later").sign()));
      node.accept(Films.film(stranger, "newcomer").sign());
      node.awaitCatalog("", listing("newcomer"));
    }
  }

  @Test
  void unlistedModeStoresUntrustedFilmsAndListsThemOnceTrusted() throws Exception {
    try (CatalogNode node = CatalogNode.start(dir, "film_roots = " + list(root.publicKeyHex()) + "\nuntrusted = \"unlisted\"", "")) {
      Event film = Films.film(stranger, "waiting").sign();
      node.accept(film);
      assertEquals(List.of(film.id()), RelayCalls.req(node.ws, "stored", "{\"ids\":[\"" + film.id() + "\"]}"));
      assertEquals(List.of(), ds(node.catalog("")), "stored, not listed");
      assertEquals("invalid: content.duration_s must be a positive integer",
          node.publish(Films.film(stranger, "broken").content(c -> c.put("duration_s", 0)).sign()), "still validated");
      node.accept(Films.trustList(root, now(), stranger.publicKeyHex()));
      node.awaitCatalog("", listing("waiting"));
    }
  }

  @Test
  void advertsComeFromTrustedPublishersAndPeers() throws Exception {
    Keys peer = Keys.generate();
    String blob = Films.blake3(new byte[] {1});
    try (CatalogNode node = CatalogNode.start(dir, "trusted_publishers = " + list(publisher.publicKeyHex())
        + "\nfederation_peers = " + list(peer.npub()), "")) {
      node.accept(Films.advert(publisher, blob, null, now() + 600, List.of()));
      node.accept(Films.advert(peer, blob, null, now() + 600, List.of()));
      assertEquals("blocked: seed adverts are accepted from trusted publishers and federation peers only",
          node.publish(Films.advert(stranger, blob, null, now() + 600, List.of())));
    }
  }

  @Test
  void openAdvertsAreRateLimitedPerKey() throws Exception {
    try (CatalogNode node = CatalogNode.start(dir, "trusted_publishers = " + list(publisher.publicKeyHex())
        + "\nadverts = \"open\"\nopen_adverts_per_minute = 3", "")) {
      for (int i = 0; i < 3; i++) node.accept(Films.advert(stranger, Films.blake3(new byte[] {(byte) i}), null, now() + 600, List.of()));
      assertEquals("rate-limited: too many seed adverts from this key",
          node.publish(Films.advert(stranger, Films.blake3(new byte[] {9}), null, now() + 600, List.of())));
      node.accept(Films.advert(Keys.generate(), Films.blake3(new byte[] {9}), null, now() + 600, List.of()));
      for (int i = 0; i < 5; i++) node.accept(Films.advert(publisher, Films.blake3(new byte[] {(byte) i}), null, now() + 600, List.of()));
      assertEquals("invalid: advert content must be empty", node.publish(EventSigner.sign(Keys.generate(), now(),
          30081, List.of(List.of("d", Films.blake3(new byte[] {1})), List.of("endpoint", "https", "https://s.example"),
              List.of("expiration", Long.toString(now() + 60))), "x")), "open adverts are still validated");
    }
  }

  @Test
  void configAcceptsHexAndNpubAndNamesBadKeys() throws Exception {
    try (CatalogNode node = CatalogNode.start(dir, "trusted_publishers = " + list(publisher.publicKeyHex().toUpperCase(),
        stranger.npub()), "")) {
      assertTrue(node.service().isTrustedPublisher(publisher.publicKeyHex()));
      assertTrue(node.service().isTrustedPublisher(stranger.publicKeyHex()));
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CatalogNode.start(dir.resolve("bad"), "trusted_publishers = [\"npub1nonsense\"]", ""));
    assertTrue(e.getMessage().contains("film-catalog.trusted_publishers"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> CatalogNode.start(dir.resolve("bad2"), "untrusted = \"maybe\"", ""));
    assertTrue(e.getMessage().contains("film-catalog.untrusted"), e.getMessage());
  }
}
