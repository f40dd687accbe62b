package archy.http;

import archy.relay.ConnectionRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Everything on the HTTP port that is not the WebSocket relay: the landing page, NIP-11 and NIP-86 management
 * calls on {@code /}, {@code /metrics}, and plugin routes. WebSocket upgrades fall through to the Jakarta
 * container, after the operators' address block list and the per-address connection limit.
 */
public final class HttpFront extends Handler.Abstract {
  private final Supplier<String> nip11;
  private final Supplier<String> landingPage;
  private final PrometheusMeterRegistry metrics;
  private final PluginRoutes routes;
  private final ConnectionRegistry connections;
  private final Handler management;
  private final Predicate<String> blockedAddress;

  /**
   * @param management     takes the NIP-86 calls (POST / of {@code application/nostr+json+rpc}), declines others
   * @param blockedAddress remote addresses whose WebSocket upgrades are refused
   */
  public HttpFront(Supplier<String> nip11, Supplier<String> landingPage, PrometheusMeterRegistry metrics,
                   PluginRoutes routes, ConnectionRegistry connections, Handler management,
                   Predicate<String> blockedAddress) {
    this.nip11 = nip11;
    this.landingPage = landingPage;
    this.metrics = metrics;
    this.routes = routes;
    this.connections = connections;
    this.management = management;
    this.blockedAddress = blockedAddress;
    addBean(management);
    this.routes.handlers().forEach(this::addBean);
  }

  /** Plugin route handlers are beans of this handler; they need the server too (Jetty warns otherwise). */
  @Override
  public void setServer(org.eclipse.jetty.server.Server server) {
    super.setServer(server);
    for (Handler handler : routes.handlers()) handler.setServer(server);
    management.setServer(server);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String path = Request.getPathInContext(request);
    if (path.equals("/")) return root(request, response, callback);
    if (path.equals("/metrics") && HttpMethod.GET.is(request.getMethod())) {
      send(request, response, callback, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape());
      return true;
    }
    return routes.handle(path, request, response, callback);
  }

  private boolean root(Request request, Response response, Callback callback) throws Exception {
    if (isWebSocketUpgrade(request)) {
      String address = Request.getRemoteAddr(request);
      if (blockedAddress.test(address)) {
        response.getHeaders().put("X-Reason", "blocked: this address is blocked by the relay's operators");
        send(request, response, callback, HttpStatus.FORBIDDEN_403, "text/plain; charset=utf-8",
            "blocked: this address is blocked by the relay's operators");
        return true;
      }
      if (!connections.admits(address)) {
        send(request, response, callback, HttpStatus.TOO_MANY_REQUESTS_429, "text/plain; charset=utf-8",
            "too many connections from " + address);
        return true;
      }
      return false;
    }
    if (management.handle(request, response, callback)) return true;
    Cors.apply(response);
    String method = request.getMethod();
    if (HttpMethod.OPTIONS.is(method)) {
      response.setStatus(204);
      callback.succeeded();
      return true;
    }
    if (!HttpMethod.GET.is(method) && !HttpMethod.HEAD.is(method)) {
      send(request, response, callback, 405, "text/plain; charset=utf-8", "method not allowed");
      return true;
    }
    String accept = request.getHeaders().get(HttpHeader.ACCEPT);
    if (accept != null && accept.contains("application/nostr+json")) {
      send(request, response, callback, 200, "application/nostr+json; charset=utf-8", nip11.get());
    } else {
      send(request, response, callback, 200, "text/html; charset=utf-8", landingPage.get());
    }
    return true;
  }

  private static boolean isWebSocketUpgrade(Request request) {
    HttpField upgrade = request.getHeaders().getField(HttpHeader.UPGRADE);
    if (upgrade != null && upgrade.getValue().equalsIgnoreCase("websocket")) return true;
    // HTTP/2 extended CONNECT (RFC 8441) carries the protocol in a pseudo-header instead.
    return HttpMethod.CONNECT.is(request.getMethod());
  }

  /** Writes a complete small text response (headers only for HEAD). */
  public static void send(Request request, Response response, Callback callback, int status, String contentType,
                          String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
    boolean head = HttpMethod.HEAD.is(request.getMethod());
    response.write(true, head ? ByteBuffer.allocate(0) : ByteBuffer.wrap(bytes), callback);
  }
}
