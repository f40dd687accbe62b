package archy.film.http;

import archy.film.CatalogFilm;
import archy.film.index.CatalogReader;
import archy.http.LandingPage;
import java.sql.SQLException;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * The films part of the landing page: how many films are listed and the newest few, how to watch them (the
 * catalog, playlists by hash, paid films) and how to publish one.
 */
public final class CatalogLanding implements Supplier<String> {
  private static final int NEWEST = 10;

  private final CatalogReader reader;
  private final String relayUrl;
  private final boolean storeUntrusted;
  private final Clock clock;

  public CatalogLanding(CatalogReader reader, String relayUrl, boolean storeUntrusted, Clock clock) {
    this.reader = reader;
    this.relayUrl = relayUrl;
    this.storeUntrusted = storeUntrusted;
    this.clock = clock;
  }

  @Override
  public String get() {
    long count;
    StringBuilder newest = new StringBuilder();
    try {
      count = reader.listedCount();
      for (CatalogReader.Entry e : reader.page(null, null, NEWEST, null, clock.instant().getEpochSecond()).entries()) {
        CatalogFilm f = e.film();
        String title = f.title() == null || f.title().isBlank() ? f.d() : f.title();
        newest.append("<li><a href=\"").append(CatalogRoute.masterUrl(f)).append("\">").append(LandingPage.escape(title))
            .append("</a>").append(f.monetized() ? " (" + f.satsPerMb() + " sat/MB)" : "").append("</li>");
      }
    } catch (SQLException e) {
      return "<p>The film catalog cannot be read right now.</p>";
    }
    String untrusted = storeUntrusted ? "stored but not listed until their publisher is trusted" : "refused";
    return """
        <p>This node lists <strong>%1$d film%2$s</strong> in its catalog, <a href="%3$s">%3$s</a> (JSON, newest first;
        <code>?q=</code> searches titles, <code>?t=</code> a genre, <code>?cursor=</code> pages on).</p>
        %4$s
        <h3>How to watch</h3>
        <p>In this browser: <a href="/films">/films</a>, the catalog with a player (paid films ask for a Cashu token).
        Each catalog entry's <code>master_url</code> is an HLS playlist: open it in any HLS player (VLC, mpv, a
        browser with hls.js). Its segments are Blossom blobs, served here by sha256 or at
        <code>/api/film/&lt;blake3&gt;</code>; blobs this node lacks are fetched from seeders and origins on the way.
        A film with a price answers <code>402</code> with a Cashu payment request (BUD-07, NUT-24): pay it with a
        Cashu wallet, or download with <code>./archy fetch &lt;url | naddr&gt;</code>.</p>
        <h3>How to publish</h3>
        <p>From a video file: <code>./archy film publish video.mp4 --title "…"</code> (transcodes to HLS, uploads,
        signs and publishes). By hand: upload the film's playlist, segments and poster with <code>PUT /upload</code> (a BUD-11 token), then sign
        a kind 30082 film event naming them and send it to <code>%5$s</code>. It is listed when its publisher is
        trusted here (the operator's <code>trusted_publishers</code>, or a film root's list); films of other keys
        are %6$s.</p>
        """.formatted(count, count == 1 ? "" : "s", CatalogRoute.PATH, newest.isEmpty() ? "" : "<ul>" + newest + "</ul>",
            LandingPage.escape(relayUrl), untrusted);
  }
}
