package archy.film.http;

import archy.film.BlobPresence;
import archy.film.CatalogFilm;
import archy.film.FilmBlob;
import archy.film.index.CatalogReader;
import archy.film.index.CatalogReader.After;
import archy.film.index.CatalogReader.Entry;
import archy.http.HttpFront;
import archy.nostr.Hex;
import archy.nostr.Nip19;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/film-catalog} (PROTOCOLS.md §4): listed films, newest first, with {@code q} (title
 * substring, case-insensitive), {@code t} (genre), {@code limit} (1–100, default 20) and {@code cursor}
 * (the previous page's {@code next_cursor}), and {@code a} ({@code 30082:<pubkey>:<d>}: that one film). Each entry is the film's content fields plus pubkey, d, naddr,
 * created_at, creator_verified, monetized (the price object, or null), master_url and availability.
 */
public final class CatalogRoute extends Handler.Abstract {
  public static final String PATH = "/api/film-catalog";
  static final int DEFAULT_LIMIT = 20, MAX_LIMIT = 100;
  private static final Logger log = LoggerFactory.getLogger(CatalogRoute.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final CatalogReader reader;
  private final BlobPresence presence;
  private final List<String> relayHints;
  private final Clock clock;

  /** @param relayUrl the node's WebSocket URL, put into each naddr as a relay hint */
  public CatalogRoute(CatalogReader reader, BlobPresence presence, String relayUrl, Clock clock) {
    this.reader = reader;
    this.presence = presence;
    this.relayHints = List.of(relayUrl);
    this.clock = clock;
  }

  /** The film's master playlist, by its sha256 on this node's Blossom server. */
  public static String masterUrl(CatalogFilm f) {
    return "/" + f.masterSha256() + ".m3u8";
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String path = Request.getPathInContext(request);
    if (!path.equals(PATH) && !path.equals(PATH + "/")) return false;
    if (Replies.preflight(request, response, callback)) return true;
    Fields params = Request.extractQueryParameters(request);
    String q = blankToNull(params.getValue("q"));
    String genre = blankToNull(params.getValue("t"));
    String[] address = null;
    String a = blankToNull(params.getValue("a"));
    if (a != null) {
      address = a.split(":", 3);
      if (address.length != 3 || !address[0].equals("30082") || !Hex.isLowerHex(address[1], 64)) {
        Replies.error(request, response, callback, 400, "a must be 30082:<pubkey hex>:<d>");
        return true;
      }
    }
    int limit;
    After after;
    try {
      String l = params.getValue("limit");
      limit = l == null ? DEFAULT_LIMIT : Integer.parseInt(l);
      if (limit < 1 || limit > MAX_LIMIT) throw new NumberFormatException();
    } catch (NumberFormatException e) {
      Replies.error(request, response, callback, 400, "limit must be an integer from 1 to " + MAX_LIMIT);
      return true;
    }
    try {
      String cursor = blankToNull(params.getValue("cursor"));
      after = cursor == null ? null : CatalogCursor.decode(cursor);
    } catch (IllegalArgumentException e) {
      Replies.error(request, response, callback, 400, "cursor is not one this catalog gave out");
      return true;
    }
    try {
      CatalogReader.Page page = reader.page(q, genre == null ? null : genre.toLowerCase(Locale.ROOT),
          address == null ? null : address[1], address == null ? null : address[2], limit, after,
          clock.instant().getEpochSecond());
      HttpFront.send(request, response, callback, 200, Replies.JSON, render(page));
    } catch (SQLException | RuntimeException e) {
      log.warn("film catalog query failed", e);
      Replies.error(request, response, callback, 500, "catalog query failed");
    }
    return true;
  }

  private String render(CatalogReader.Page page) throws SQLException {
    ObjectNode body = JSON.createObjectNode();
    ArrayNode films = body.putArray("films");
    for (Entry entry : page.entries()) films.add(entry(entry));
    if (page.next() == null) body.putNull("next_cursor");
    else body.put("next_cursor", CatalogCursor.encode(page.next()));
    return body.toString();
  }

  private ObjectNode entry(Entry entry) throws SQLException {
    CatalogFilm f = entry.film();
    ObjectNode out;
    try {
      out = (ObjectNode) JSON.readTree(entry.content());
    } catch (Exception e) {
      throw new IllegalStateException("indexed content of " + f.eventId() + " is not a JSON object", e);
    }
    out.put("pubkey", f.pubkey());
    out.put("d", f.d());
    out.put("naddr", Nip19.encode(new Nip19.Address(f.d(), f.pubkey(), 30082, relayHints)));
    out.put("created_at", f.createdAt());
    reader.genres(f.pubkey(), f.d()).forEach(out.putArray("genres")::add);
    out.put("creator_verified", f.creatorVerified());
    if (f.monetized()) {
      out.putObject("monetized").put("service", "content-download").put("sats_per_mb", f.satsPerMb());
    } else {
      out.putNull("monetized");
    }
    out.put("master_url", masterUrl(f));
    List<FilmBlob> set = reader.blobSet(f.pubkey(), f.d());
    ObjectNode availability = out.putObject("availability").put("local", presence.countHeld(set))
        .put("total", Math.max(set.size(), f.blobCount())).put("seeders", entry.seeders());
    // Whether the total is the whole set (the playlists were read) or only what the event names so far.
    CatalogReader.CrawlState crawl = reader.crawlState(f.pubkey(), f.d(), f.eventId());
    availability.put("playlists", crawl.state() == null ? "pending" : crawl.state().equals("done") ? "read" : crawl.state());
    if (crawl.detail() != null) availability.put("playlists_detail", crawl.detail());
    return out;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
