package archy.blossom;

import archy.store.StoreException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Blossom routes at the domain root (BUD-01): everything the HTTP front ({@code /}, {@code /metrics},
 * {@code /api/…}) does not take. Any other path gets a 404 with CORS, so browser clients can read it.
 * Handlers block (database, files, request bodies): Jetty runs them on virtual threads.
 */
final class BlossomHandler extends Handler.Abstract {
  private static final Logger log = LoggerFactory.getLogger(BlossomHandler.class);
  /** A 64-hex address with an optional extension ({@code .m3u8}, {@code .tar.gz} is not one: only the last). */
  private static final Pattern BLOB = Pattern.compile("/(b3/)?([0-9a-fA-F]{64})(\\.[A-Za-z0-9]{1,16})?");
  private static final Pattern LOOKS_LIKE_BLOB = Pattern.compile("/(b3/)?[0-9a-fA-F]{64}.*");

  private final GetEndpoint get;
  private final UploadEndpoint upload;
  private final MirrorEndpoint mirror;
  private final ReportEndpoint report;
  private final OwnerEndpoints owners;

  BlossomHandler(GetEndpoint get, UploadEndpoint upload, MirrorEndpoint mirror, ReportEndpoint report,
                 OwnerEndpoints owners) {
    this.get = get;
    this.upload = upload;
    this.mirror = mirror;
    this.report = report;
    this.owners = owners;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String path = Request.getPathInContext(request);
    // The root is the landing page, NIP-11 and the relay's WebSocket upgrade: never Blossom's.
    if (path.equals("/")) return false;
    String method = request.getMethod();
    answer(request, response, callback, () -> route(request, response, callback, path, method));
    return true;
  }

  /**
   * A plugin route's GET or HEAD of a blob by BLAKE3 ({@code /api/film/<blake3>}): the very endpoint of
   * {@code /b3/<blake3>}, so ranges, the {@code rejectGet} policies (payment) and fetch-through apply whatever
   * path the bytes are asked for under.
   */
  void getByBlake3(Request request, Response response, Callback callback, String blake3) {
    String hash = blake3.toLowerCase(Locale.ROOT);
    answer(request, response, callback, () -> get.handle(request, response, callback, hash, true));
  }

  private interface Work {
    void run() throws Exception;
  }

  /** Runs one request's work; a failure the work did not answer itself becomes a 503 or 500 with CORS. */
  private void answer(Request request, Response response, Callback callback, Work work) {
    try {
      work.run();
    } catch (StoreException e) {
      log.warn("blossom request {} {} failed in the database", request.getMethod(), Request.getPathInContext(request), e);
      failed(request, response, callback, 503, "storage is unavailable, try again later");
    } catch (Exception e) {
      log.warn("blossom request {} {} failed", request.getMethod(), Request.getPathInContext(request), e);
      failed(request, response, callback, 500, "internal error");
    }
  }

  private void route(Request request, Response response, Callback callback, String path, String method)
      throws Exception {
    if (HttpMethod.OPTIONS.is(method)) {
      Replies.empty(response, callback, 204);
    } else if (path.equals("/upload")) {
      if (HttpMethod.PUT.is(method)) upload.upload(request, response, callback);
      else if (HttpMethod.HEAD.is(method)) upload.preflight(request, response, callback);
      else notAllowed(request, response, callback);
    } else if (path.equals("/mirror")) {
      if (HttpMethod.PUT.is(method)) mirror.mirror(request, response, callback);
      else notAllowed(request, response, callback);
    } else if (path.equals("/report")) {
      if (HttpMethod.PUT.is(method)) report.report(request, response, callback);
      else notAllowed(request, response, callback);
    } else if (path.startsWith("/list/")) {
      if (HttpMethod.GET.is(method) || HttpMethod.HEAD.is(method)) {
        owners.list(request, response, callback, path.substring("/list/".length()));
      } else {
        notAllowed(request, response, callback);
      }
    } else {
      blob(request, response, callback, path, method);
    }
  }

  private void blob(Request request, Response response, Callback callback, String path, String method)
      throws Exception {
    Matcher m = BLOB.matcher(path);
    if (!m.matches()) {
      if (LOOKS_LIKE_BLOB.matcher(path).matches()) {
        Replies.error(request, response, callback, 400, "malformed blob path: /<sha256>[.ext] or /b3/<blake3>[.ext]");
      } else {
        Replies.error(request, response, callback, 404, "not found");
      }
      return;
    }
    boolean byBlake3 = m.group(1) != null;
    String hash = m.group(2).toLowerCase(Locale.ROOT);
    if (HttpMethod.GET.is(method) || HttpMethod.HEAD.is(method)) {
      get.handle(request, response, callback, hash, byBlake3);
    } else if (HttpMethod.DELETE.is(method) && !byBlake3) {
      owners.delete(request, response, callback, hash);
    } else {
      notAllowed(request, response, callback);
    }
  }

  private static void notAllowed(Request request, Response response, Callback callback) {
    response.getHeaders().put("Allow", "GET, HEAD, PUT, DELETE, OPTIONS");
    Replies.error(request, response, callback, 405, "method " + request.getMethod().toUpperCase(Locale.ROOT)
        + " is not allowed here");
  }

  private static void failed(Request request, Response response, Callback callback, int status, String reason) {
    if (response.isCommitted()) {
      callback.failed(new IllegalStateException(reason));
    } else {
      response.reset();
      Replies.error(request, response, callback, status, reason);
    }
  }
}
