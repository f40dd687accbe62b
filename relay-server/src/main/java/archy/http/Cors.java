package archy.http;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.Response;

/** CORS headers for browser clients (web Nostr clients, Blossom clients, video players). */
public final class Cors {
  public static final String EXPOSED = "X-Reason, X-Cashu, X-Archy-Session, Content-Range, Content-Length, "
      + "Accept-Ranges, ETag, Content-Type";

  private Cors() {}

  public static void apply(Response response) {
    apply(response.getHeaders());
  }

  static void apply(HttpFields.Mutable h) {
    h.put("Access-Control-Allow-Origin", "*");
    h.put("Access-Control-Allow-Headers", "Authorization, Content-Type, Content-Length, Range, X-SHA-256, "
        + "X-Content-Type, X-Content-Length, X-Cashu, X-Archy-Session, If-None-Match, Accept");
    h.put("Access-Control-Allow-Methods", "GET, HEAD, PUT, POST, DELETE, OPTIONS");
    h.put("Access-Control-Expose-Headers", EXPOSED);
    h.put("Access-Control-Max-Age", "86400");
  }
}
