package archy.film;

import static archy.film.CatalogNode.list;
import static archy.film.CatalogNode.listing;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.nostr.Keys;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GET / in a browser says what the node offers: its films, how to watch them, how to publish, the catalog. */
class LandingPageTest {
  @TempDir
  Path dir;

  @Test
  void theLandingPageShowsTheFilmsAndHowToWatchAndPublish() throws Exception {
    Keys publisher = Keys.generate();
    try (CatalogNode node = CatalogNode.start(dir, "trusted_publishers = " + list(publisher.publicKeyHex()), "")) {
      assertTrue(page(node).contains("lists <strong>0 films</strong>"), page(node));
      node.accept(Films.film(publisher, "night").title("Night <Train>").price(3).sign());
      node.awaitCatalog("", listing("night"));
      String html = page(node);
      assertTrue(html.contains("<h2>Films</h2>"), html);
      assertTrue(html.contains("lists <strong>1 film</strong>"), html);
      assertTrue(html.contains("Night &lt;Train&gt;</a> (3 sat/MB)"), "titles are listed, escaped: " + html);
      assertTrue(html.contains("<a href=\"/api/film-catalog\">/api/film-catalog</a>"), html);
      assertTrue(html.contains("How to watch") && html.contains("./archy fetch"), html);
      assertTrue(html.contains("How to publish") && html.contains("kind 30082") && html.contains(node.wsUrl()), html);
    }
  }

  private static String page(CatalogNode node) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(node.httpUrl() + "/"))
        .header("Accept", "text/html").build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode());
    return r.body();
  }
}
