package archy.blossom;

import archy.http.Cors;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * The small, complete responses of the Blossom endpoints. Every one carries CORS headers (BUD-01: on all
 * responses, errors included, or browsers hide them) and every error an {@code X-Reason}.
 */
final class Replies {
  private Replies() {}

  static void error(Request request, Response response, Callback callback, int status, String reason) {
    error(request, response, callback, status, reason, Map.of());
  }

  /** An error with extra headers (a 402's {@code X-Cashu}). Never cached: a later retry may succeed. */
  static void error(Request request, Response response, Callback callback, int status, String reason,
                    Map<String, String> headers) {
    Cors.apply(response);
    var h = response.getHeaders();
    headers.forEach(h::put);
    h.put("X-Reason", headerSafe(reason));
    h.put(HttpHeader.CACHE_CONTROL, "no-store");
    // A refusal may come before the request body was read (a 413, 415, 401 of an upload): the connection is
    // closed after it, and saying so keeps a client from sending its next request on a connection being torn down.
    if (hasBody(request)) h.put(HttpHeader.CONNECTION, "close");
    text(request, response, callback, status, reason + "\n");
  }

  private static boolean hasBody(Request request) {
    var headers = request.getHeaders();
    return headers.contains(HttpHeader.TRANSFER_ENCODING) || headers.getLongField(HttpHeader.CONTENT_LENGTH) > 0;
  }

  static void json(Request request, Response response, Callback callback, int status, String json) {
    Cors.apply(response);
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
    response.write(true, body(request, bytes), callback);
  }

  /** A response with a status and headers only (HEAD answers, 204, 304). */
  static void empty(Response response, Callback callback, int status) {
    Cors.apply(response);
    response.setStatus(status);
    if (status != 204 && status != 304) response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0);
    response.write(true, BufferUtil.EMPTY_BUFFER, callback);
  }

  private static void text(Request request, Response response, Callback callback, int status, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
    response.write(true, body(request, bytes), callback);
  }

  private static ByteBuffer body(Request request, byte[] bytes) {
    return HttpMethod.HEAD.is(request.getMethod()) ? BufferUtil.EMPTY_BUFFER : ByteBuffer.wrap(bytes);
  }

  /** Header values must be visible ASCII; reasons may quote user input. */
  static String headerSafe(String s) {
    StringBuilder out = new StringBuilder(Math.min(s.length(), 300));
    for (int i = 0; i < s.length() && out.length() < 300; i++) {
      char c = s.charAt(i);
      out.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return out.toString();
  }
}
