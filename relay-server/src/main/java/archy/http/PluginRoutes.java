package archy.http;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * What plugins register on the HTTP side: routes under {@code /api/}, or at one of the {@link #PAGES} (human
 * pages a plugin serves at a short address), the longest matching path prefix winning; and the room they need
 * for request headers. Every other path stays the host's: the root namespace is Blossom's ({@code /<sha256>}), so
 * plugins never get arbitrary top-level paths.
 */
public final class PluginRoutes {
  /** Top-level page prefixes a plugin may take besides {@code /api/<name>} (docs/plugins.md lists them). */
  public static final Set<String> PAGES = Set.of("/films", "/backstage");
  /** Room for the request line and the other headers beside the largest one a plugin asked for. */
  private static final int OTHER_HEADERS_BYTES = 8_192;
  private volatile int largestHeader;

  /** Sorted in reverse so the first prefix that matches is the longest one. */
  private final ConcurrentSkipListMap<String, Handler> byPrefix =
      new ConcurrentSkipListMap<>((a, b) -> b.compareTo(a));

  public void add(String prefix, Handler handler) {
    if (!PAGES.contains(prefix) && (!prefix.startsWith("/api/") || prefix.length() <= "/api/".length())) {
      throw new IllegalArgumentException("plugin routes live under /api/<name> or at " + PAGES + ", got " + prefix);
    }
    if (byPrefix.putIfAbsent(prefix, handler) != null) {
      throw new IllegalStateException("route " + prefix + " is already taken");
    }
  }

  /** A plugin will receive a request header of up to this many bytes (e.g. a Cashu token). */
  public synchronized void needHeader(int bytes) {
    largestHeader = Math.max(largestHeader, bytes);
  }

  /** Jetty's request header limit: the configured one, or more when a plugin's header needs it. */
  public int requestHeaderBytes(int configured) {
    return largestHeader == 0 ? configured : Math.max(configured, largestHeader + OTHER_HEADERS_BYTES);
  }

  boolean handle(String path, Request request, Response response, Callback callback) throws Exception {
    for (Map.Entry<String, Handler> route : byPrefix.entrySet()) {
      String prefix = route.getKey();
      if (path.startsWith(prefix) && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/'
          || prefix.endsWith("/"))) {
        return route.getValue().handle(request, response, callback);
      }
    }
    return false;
  }

  /** Starts plugin handlers with the server (Jetty handlers are lifecycle components). */
  Iterable<Handler> handlers() {
    return byPrefix.values();
  }
}
