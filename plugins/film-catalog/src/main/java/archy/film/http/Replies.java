package archy.film.http;

import archy.http.Cors;
import archy.http.HttpFront;
import com.fasterxml.jackson.databind.node.TextNode;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** How the film routes answer: CORS on every response, JSON bodies, errors with {@code X-Reason}. */
public final class Replies {
  public static final String JSON = "application/json; charset=utf-8";

  private Replies() {}

  /** Answers OPTIONS and methods other than GET/HEAD; true when the request was answered. */
  static boolean preflight(Request request, Response response, Callback callback) {
    Cors.apply(response);
    if (HttpMethod.OPTIONS.is(request.getMethod())) {
      response.setStatus(204);
      callback.succeeded();
      return true;
    }
    if (!HttpMethod.GET.is(request.getMethod()) && !HttpMethod.HEAD.is(request.getMethod())) {
      error(request, response, callback, 405, "only GET and HEAD");
      return true;
    }
    return false;
  }

  public static void error(Request request, Response response, Callback callback, int status, String reason) {
    response.getHeaders().put("X-Reason", reason);
    HttpFront.send(request, response, callback, status, JSON, "{\"error\":" + TextNode.valueOf(reason) + "}");
  }
}
