package archy.management;

import archy.http.Cors;
import archy.http.HttpFront;
import archy.nostr.EventParser;
import archy.nostr.Schnorr;
import archy.store.EventStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * NIP-86 on the relay's own URL: {@code POST /} with {@code Content-Type: application/nostr+json+rpc}, a body
 * {@code {"method": "...", "params": [...]}}, NIP-98 authorization by an admin. Answers
 * {@code {"result": ..., "error": null}} or {@code {"result": null, "error": "..."}}; a refused authorization is
 * 401, a body that is not such a request 400, both with the same JSON shape and the reason in {@code X-Reason}.
 * Every call is logged with its method and admin (never its authorization).
 */
public final class ManagementEndpoint extends Handler.Abstract {
  public static final String CONTENT_TYPE = "application/nostr+json+rpc";
  private static final Logger log = LoggerFactory.getLogger(ManagementEndpoint.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_BODY = 64 * 1024;

  private final Nip98Auth auth;
  private final ManagementApi api;
  private final String publicUrl;

  public ManagementEndpoint(RelayModeration moderation, EventStore store, Set<String> admins, String publicUrl,
                            Clock clock) {
    this.auth = new Nip98Auth(new EventParser(Schnorr.verifier()), admins, clock);
    this.api = new ManagementApi(moderation, store, clock);
    this.publicUrl = publicUrl;
  }

  /** Whether this request is a NIP-86 call (so it is this endpoint's, not NIP-11's or the landing page's). */
  public static boolean isManagementCall(Request request) {
    String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
    return HttpMethod.POST.is(request.getMethod()) && type != null
        && type.strip().toLowerCase(Locale.ROOT).startsWith(CONTENT_TYPE);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws IOException {
    if (!isManagementCall(request)) return false;
    Cors.apply(response);
    byte[] body = Content.Source.asInputStream(request).readNBytes(MAX_BODY + 1);
    if (body.length > MAX_BODY) return answer(request, response, callback, 413, null, "a call is at most " + MAX_BODY
        + " bytes");
    Nip98Auth.Result who = auth.check(request.getHeaders().get(HttpHeader.AUTHORIZATION), "POST",
        urls(request), body);
    if (who instanceof Nip98Auth.Result.Refused refused) {
      response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Nostr");
      return answer(request, response, callback, 401, null, refused.reason());
    }
    String admin = ((Nip98Auth.Result.Authorized) who).pubkey();
    JsonNode call;
    try {
      call = JSON.readTree(body);
    } catch (IOException e) {
      return answer(request, response, callback, 400, null, "the body is not JSON");
    }
    JsonNode method = call == null ? null : call.get("method");
    JsonNode params = call == null ? null : call.path("params");
    if (method == null || !method.isTextual()) {
      return answer(request, response, callback, 400, null, "the body needs a \"method\" string");
    }
    if (params.isMissingNode() || params.isNull()) params = JSON.createArrayNode();
    if (!params.isArray()) return answer(request, response, callback, 400, null, "\"params\" must be an array");
    log.info("management call {} by {}", method.textValue(), admin);
    try {
      return answer(request, response, callback, 200, api.call(method.textValue(), params), null);
    } catch (ManagementApi.RpcError e) {
      return answer(request, response, callback, 200, null, e.getMessage());
    } catch (RuntimeException e) {
      log.warn("management call {} failed", method.textValue(), e);
      return answer(request, response, callback, 500, null, "the relay could not do that now: " + e.getMessage());
    }
  }

  /** The configured public URL and the one the request came to: behind a proxy they differ. */
  private Set<String> urls(Request request) {
    Set<String> out = new LinkedHashSet<>();
    out.add(publicUrl);
    HttpURI uri = request.getHttpURI();
    out.add(uri.getScheme() + "://" + uri.getAuthority() + uri.getPathQuery());
    return out;
  }

  private static boolean answer(Request request, Response response, Callback callback, int status, JsonNode result,
                                String error) {
    ObjectNode out = JSON.createObjectNode();
    out.set("result", result == null ? NullNode.getInstance() : result);
    if (error == null) {
      out.putNull("error");
    } else {
      out.put("error", error);
      response.getHeaders().put("X-Reason", error.replaceAll("[^\\x20-\\x7e]", "?"));
    }
    HttpFront.send(request, response, callback, status, "application/json", out.toString());
    return true;
  }
}
