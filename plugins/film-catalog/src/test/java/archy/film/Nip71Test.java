package archy.film;

import static archy.film.CatalogNode.list;
import static archy.film.CatalogNode.listing;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.nostr.Keys;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NIP-71 kind 34235 companions (PROTOCOLS.md §2.5), read back from the node with a plain REQ. */
class Nip71Test {
  @TempDir Path dir;
  final Keys root = Keys.generate();
  final Keys publisher = Keys.generate();

  static long now() {
    return System.currentTimeMillis() / 1000;
  }

  /** The node's companions, newest first, as full events. */
  static List<JsonNode> companions(CatalogNode node) {
    node.ws.send("[\"REQ\",\"c\",{\"kinds\":[34235],\"authors\":[\"" + node.node.keys().publicKeyHex() + "\"]}]");
    List<JsonNode> out = new ArrayList<>();
    while (true) {
      JsonNode m = node.ws.next();
      if (m.path(0).asText().equals("EOSE")) break;
      out.add(m.path(2));
    }
    node.ws.send("[\"CLOSE\",\"c\"]");
    return out;
  }

  static List<JsonNode> awaitCompanions(CatalogNode node, Predicate<List<JsonNode>> until) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    List<JsonNode> found = companions(node);
    while (!until.test(found)) {
      if (System.nanoTime() > deadline) throw new AssertionError("companions never matched: " + found);
      Thread.sleep(20);
      found = companions(node);
    }
    return found;
  }

  static List<String> tag(JsonNode event, String name) {
    for (JsonNode t : event.path("tags")) {
      if (t.path(0).asText().equals(name)) {
        List<String> out = new ArrayList<>();
        t.forEach(v -> out.add(v.asText()));
        return out;
      }
    }
    return null;
  }

  @Test
  void publicFilmsGetACompanionThatFollowsTheFilm() throws Exception {
    String config = "film_roots = " + list(root.publicKeyHex()) + "\npublish_nip71 = true";
    Films.Film film = Films.film(publisher, "open-film").genres("drama", "short").publishedAt(1_700_000_000);
    String companionId;
    try (CatalogNode node = CatalogNode.start(dir, config, "")) {
      node.accept(Films.trustList(root, now() - 10, publisher.publicKeyHex()));
      TrustTest.await(() -> node.service().isTrustedPublisher(publisher.publicKeyHex()), "trusted");
      node.accept(film.sign());
      node.accept(Films.film(publisher, "secret").encrypted().sign());
      node.awaitCatalog("", p -> CatalogNode.ds(p).size() == 2);

      JsonNode c = awaitCompanions(node, l -> l.size() == 1).get(0);
      String base = "http://127.0.0.1:" + node.port;
      assertEquals(film.summary, c.path("content").asText());
      assertEquals(List.of("d", "open-film"), tag(c, "d"));
      assertEquals(List.of("title", film.title), tag(c, "title"));
      assertEquals(List.of("published_at", "1700000000"), tag(c, "published_at"));
      assertEquals(List.of("duration", "90"), tag(c, "duration"));
      assertEquals(List.of("t", "drama"), tag(c, "t"));
      assertEquals(List.of("imeta", "url " + base + "/" + film.masterSha256() + ".m3u8", "m application/vnd.apple.mpegurl",
          "x " + film.masterSha256(), "image " + base + "/b3/" + film.posterBlake3()), tag(c, "imeta"));
      assertEquals(List.of("a", "30082:" + publisher.publicKeyHex() + ":open-film"), tag(c, "a"));

      // A new version of the film replaces the companion.
      node.accept(Films.film(publisher, "open-film").title("Open Film, restored").createdAt(now() + 1).sign());
      c = awaitCompanions(node, l -> l.size() == 1 && tag(l.get(0), "title").get(1).equals("Open Film, restored")).get(0);
      companionId = c.path("id").asText();
    }
    try (CatalogNode node = CatalogNode.start(dir, config, "")) {
      Thread.sleep(300);
      assertEquals(List.of(companionId), companions(node).stream().map(e -> e.path("id").asText()).toList(),
          "a restart publishes nothing new");
      // The publisher loses trust: the companion is deleted with it.
      node.accept(Films.trustList(root, now() + 2));
      node.awaitCatalog("", listing());
      awaitCompanions(node, List::isEmpty);
    }
  }

  @Test
  void nothingIsPublishedUnlessAsked() throws Exception {
    try (CatalogNode node = CatalogNode.start(dir, "trusted_publishers = " + list(publisher.publicKeyHex()), "")) {
      node.accept(Films.film(publisher, "quiet").sign());
      node.awaitCatalog("", listing("quiet"));
      Thread.sleep(200);
      assertTrue(companions(node).isEmpty());
    }
  }
}
