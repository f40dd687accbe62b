package archy.film.http;

import archy.film.FilmCatalog;
import archy.nostr.Hex;
import archy.plugin.Blobs;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code GET|HEAD /api/film/<blake3>}: one film blob by BLAKE3. Only blobs of catalog films are answered here
 * (anything else is 404, so this path never fetches arbitrary hashes); those are handed to the host's Blossom
 * GET ({@link Blobs#serve}), the same endpoint as {@code /b3/<blake3>}: ranges, fetch-through and the
 * {@code rejectGet} policies, so a paid film costs the same under either path.
 */
public final class FilmBlobRoute extends Handler.Abstract {
  public static final String PREFIX = "/api/film/";

  private final FilmCatalog catalog;
  private final Blobs blobs;

  public FilmBlobRoute(FilmCatalog catalog, Blobs blobs) {
    this.catalog = catalog;
    this.blobs = blobs;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String path = Request.getPathInContext(request);
    if (!path.startsWith(PREFIX)) return false;
    if (Replies.preflight(request, response, callback)) return true;
    String blake3 = path.substring(PREFIX.length());
    if (!Hex.isLowerHex(blake3, 64)) {
      Replies.error(request, response, callback, 400, "expected /api/film/<64 lowercase hex BLAKE3>");
    } else if (catalog.filmsWithBlob(blake3).isEmpty()) {
      Replies.error(request, response, callback, 404, "not a blob of a catalog film");
    } else {
      blobs.serve(request, response, callback, blake3);
    }
    return true;
  }
}
