package archy.film.key;

import archy.film.FilmCatalog;
import archy.film.event.FilmEvent;
import archy.film.http.Replies;
import archy.http.Cors;
import archy.http.HttpFront;
import archy.nostr.Hex;
import archy.nostr.Keys;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key server of private films (PROTOCOLS.md §2.1 {@code enc} with {@code key_ref: "nip98"}): an encrypted
 * film's playlists name {@code <publishing node>/api/film-key?a=30082:<pubkey>:<d>} as their AES-128 key URI, and
 * the key is never a blob. Every request is NIP-98 authenticated ({@link Nip98}):
 * <ul>
 *   <li>{@code GET ?a=} — the 16 key bytes, to the film's publisher and the viewers it granted (401 without valid
 *       authentication, 403 for anyone else, 404 when this node holds no key for the film);</li>
 *   <li>{@code PUT ?a=} (body: the 16 bytes) — a trusted publisher stores the key of its own film; a key never
 *       changes once stored (409);</li>
 *   <li>{@code GET /grants?a=}, {@code PUT /grants?a=&viewer=}, {@code DELETE /grants?a=&viewer=} — the publisher
 *       lists, grants and revokes viewers (hex or npub).</li>
 * </ul>
 * Refusals carry {@code X-Reason}; keys are answered with {@code Cache-Control: no-store} and never logged.
 */
public final class FilmKeyRoute extends Handler.Abstract {
  public static final String PATH = "/api/film-key";
  private static final Logger log = LoggerFactory.getLogger(FilmKeyRoute.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String JSON_TYPE = Replies.JSON;
  private static final int KEY_BYTES = 16;

  private final FilmKeys keys;
  private final FilmCatalog catalog;
  private final String publicAuthority;
  private final Clock clock;

  public FilmKeyRoute(FilmKeys keys, FilmCatalog catalog, String publicUrl, Clock clock) {
    this.keys = keys;
    this.catalog = catalog;
    this.publicAuthority = URI.create(publicUrl).getRawAuthority();
    this.clock = clock;
  }

  /** The key URI an encrypted film's playlists name: on the publishing node, by the film's address. */
  public static URI keyUrl(URI node, String pubkey, String d) {
    String base = node.toString().replaceAll("/+$", "");
    return URI.create(base + PATH + "?a=" + FilmEvent.KIND + ":" + pubkey + ":" + d);
  }

  /** Where the publisher manages viewers. */
  public static URI grantsUrl(URI node, String pubkey, String d, String viewer) {
    String base = node.toString().replaceAll("/+$", "");
    return URI.create(base + PATH + "/grants?a=" + FilmEvent.KIND + ":" + pubkey + ":" + d
        + (viewer == null ? "" : "&viewer=" + viewer));
  }

  private record Film(String pubkey, String d) {}

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws IOException {
    String path = Request.getPathInContext(request);
    boolean grants = path.equals(PATH + "/grants");
    if (!path.equals(PATH) && !grants) return false;
    Cors.apply(response);
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    String method = request.getMethod();
    if (HttpMethod.OPTIONS.is(method)) {
      response.setStatus(204);
      callback.succeeded();
      return true;
    }
    Fields query = Request.extractQueryParameters(request);
    Film film = film(query.getValue("a"));
    if (film == null) {
      return error(request, response, callback, 400, "expected ?a=30082:<pubkey hex>:<d>");
    }
    byte[] body = Content.Source.asInputStream(request).readNBytes(KEY_BYTES + 1);
    Nip98.Result auth = Nip98.check(request.getHeaders().get(HttpHeader.AUTHORIZATION), method,
        request.getHttpURI().getPathQuery(), List.of(publicAuthority, request.getHttpURI().getAuthority()), body,
        clock.instant().getEpochSecond());
    if (auth instanceof Nip98.Result.Refused r) {
      response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Nostr");
      return error(request, response, callback, 401, r.reason());
    }
    String caller = ((Nip98.Result.Authenticated) auth).pubkey();
    try {
      if (grants) return grants(request, response, callback, film, caller, query.getValue("viewer"));
      if (HttpMethod.GET.is(method)) return get(request, response, callback, film, caller);
      if (HttpMethod.PUT.is(method)) return put(request, response, callback, film, caller, body);
      return error(request, response, callback, 405, "GET or PUT");
    } catch (SQLException e) {
      log.warn("film key store failed for {}", film, e);
      return error(request, response, callback, 503, "the key store is unavailable");
    }
  }

  private boolean get(Request request, Response response, Callback callback, Film film, String caller)
      throws SQLException {
    if (!caller.equals(film.pubkey()) && !keys.isGranted(film.pubkey(), film.d(), caller)) {
      return error(request, response, callback, 403, "this key is not granted access to the film");
    }
    String key = keys.key(film.pubkey(), film.d());
    if (key == null) return error(request, response, callback, 404, "this node holds no key for the film");
    byte[] bytes = Hex.decode(key);
    response.setStatus(200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
    response.write(true, ByteBuffer.wrap(bytes), callback);
    return true;
  }

  private boolean put(Request request, Response response, Callback callback, Film film, String caller, byte[] body)
      throws SQLException {
    if (!caller.equals(film.pubkey())) {
      return error(request, response, callback, 403, "only the film's publisher stores its key");
    }
    if (!catalog.isTrustedPublisher(caller)) {
      return error(request, response, callback, 403, "not a trusted film publisher of this node");
    }
    if (body.length != KEY_BYTES) {
      return error(request, response, callback, 400, "the body must be the 16 bytes of an AES-128 key");
    }
    String hex = Hex.encode(body);
    String held = keys.key(film.pubkey(), film.d());
    if (held != null && !held.equals(hex)) {
      return error(request, response, callback, 409, "the film already has another key (its segments use it)");
    }
    if (held == null) keys.putKey(film.pubkey(), film.d(), hex, clock.instant().getEpochSecond());
    HttpFront.send(request, response, callback, held == null ? 201 : 200, JSON_TYPE, "{\"stored\":true}");
    return true;
  }

  private boolean grants(Request request, Response response, Callback callback, Film film, String caller,
                         String viewerParam) throws SQLException {
    if (!caller.equals(film.pubkey())) {
      return error(request, response, callback, 403, "only the film's publisher manages its viewers");
    }
    String method = request.getMethod();
    if (HttpMethod.PUT.is(method) || HttpMethod.DELETE.is(method)) {
      String viewer;
      try {
        viewer = Keys.parsePublicKey(viewerParam == null ? "" : viewerParam);
      } catch (IllegalArgumentException e) {
        return error(request, response, callback, 400, "expected &viewer=<pubkey hex or npub>");
      }
      if (HttpMethod.PUT.is(method)) {
        keys.grant(film.pubkey(), film.d(), viewer, clock.instant().getEpochSecond());
      } else {
        keys.revoke(film.pubkey(), film.d(), viewer);
      }
    } else if (!HttpMethod.GET.is(method)) {
      return error(request, response, callback, 405, "GET, PUT or DELETE");
    }
    ObjectNode out = JSON.createObjectNode();
    ArrayNode viewers = out.putArray("viewers");
    keys.viewers(film.pubkey(), film.d()).forEach(viewers::add);
    HttpFront.send(request, response, callback, 200, JSON_TYPE, out.toString());
    return true;
  }

  private static Film film(String a) {
    if (a == null) return null;
    String[] parts = a.split(":", 3);
    if (parts.length != 3 || !parts[0].equals(Integer.toString(FilmEvent.KIND)) || !Hex.isLowerHex(parts[1], 64)
        || !FilmEvent.isFilmId(parts[2])) {
      return null;
    }
    return new Film(parts[1], parts[2]);
  }

  private static boolean error(Request request, Response response, Callback callback, int status, String reason) {
    Replies.error(request, response, callback, status, reason);
    return true;
  }
}
