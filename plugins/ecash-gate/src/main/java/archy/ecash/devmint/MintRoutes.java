package archy.ecash.devmint;

import archy.ecash.encoding.Json;
import archy.ecash.keyset.KeysetInfo;
import archy.ecash.mint.MeltQuote;
import archy.ecash.mint.NutError;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dev mint's HTTP face: routes the NUT endpoints, turns {@link MintError}s into HTTP 400
 * {@code {"detail","code"}}, serves and fills the NUT-19 cache, applies armed {@link HttpFaults}, and allows any
 * origin (CORS) so that browser wallets can use a mint started with {@code ./archy mint}. Nothing is logged: bodies
 * carry secrets and quote ids.
 */
final class MintRoutes implements HttpHandler {
  private static final int MAX_BODY = 1 << 20;
  private static final String BOLT11 = "bolt11";

  /** A successful answer; {@code cacheable} is false for a melt still in flight (a replay must learn the outcome). */
  private record Answer(Object body, boolean cacheable) {
    static Answer of(Object body) {
      return new Answer(body, true);
    }
  }

  private final DevMint mint;
  private final MintKeysets keysets;
  private final Swaps swaps;
  private final MintQuotes mintQuotes;
  private final MeltQuotes meltQuotes;
  private final ResponseCache cache;
  private final HttpFaults faults;

  MintRoutes(DevMint mint, MintKeysets keysets, Swaps swaps, MintQuotes mintQuotes, MeltQuotes meltQuotes,
             ResponseCache cache, HttpFaults faults) {
    this.mint = mint;
    this.keysets = keysets;
    this.swaps = swaps;
    this.mintQuotes = mintQuotes;
    this.meltQuotes = meltQuotes;
    this.cache = cache;
    this.faults = faults;
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String method = ex.getRequestMethod();
      String path = ex.getRequestURI().getRawPath();
      ex.getResponseHeaders().set("Access-Control-Allow-Origin", "*");
      if (method.equals("OPTIONS")) {
        ex.getResponseHeaders().set("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
        ex.getResponseHeaders().set("Access-Control-Allow-Headers", "Content-Type");
        ex.sendResponseHeaders(204, -1);
        return;
      }
      byte[] request = readBody(ex.getRequestBody());
      HttpFaults.Fault fault = faults.next(path);
      if (fault instanceof HttpFaults.Fail) {
        sendServerError(ex); // as a crashed mint or proxy would: no NUT error, so the outcome reads as unknown
        return;
      }
      if (fault instanceof HttpFaults.Status s && !s.processed()) {
        sendProxyError(ex, s.status());
        return;
      }
      int status = 200;
      byte[] response = request == null ? null : cache.get(method, path, request);
      if (request == null) {
        status = 400;
        response = json(new Wire.ErrorBody("request body too large", 0));
      } else if (response == null) {
        try {
          Answer answer = route(method, path, request);
          response = json(answer.body());
          if (answer.cacheable()) cache.put(method, path, request, response);
        } catch (MintError e) {
          status = e.status();
          response = json(new Wire.ErrorBody(e.getMessage(), e.code()));
        } catch (RuntimeException bug) {
          sendServerError(ex);
          return;
        }
      }
      switch (fault) {
        case HttpFaults.Lose lose -> { return; } // processed; the connection closes without an answer
        case HttpFaults.Delay delay -> pause(delay);
        case HttpFaults.Status s -> {
          sendProxyError(ex, s.status());
          return;
        }
        case null, default -> { }
      }
      send(ex, status, response);
    }
  }

  private Answer route(String method, String path, byte[] body) throws MintError {
    List<String> p = List.of(path.split("/", -1));
    if (p.size() < 3 || !p.get(0).isEmpty() || !p.get(1).equals("v1")) throw MintError.notFound();
    String head = p.get(2);
    boolean get = method.equals("GET");
    boolean post = method.equals("POST");
    if (p.size() == 3) {
      return switch (head) {
        case "info" -> when(get, () -> Answer.of(info()));
        case "keys" -> when(get, () -> Answer.of(keys(keysets.active())));
        case "keysets" -> when(get, () -> Answer.of(new Wire.Keysets(keysets.all().stream().map(MintKeysets.Entry::info).toList())));
        case "swap" -> when(post, () -> Answer.of(new Wire.Signatures(swaps.swap(read(body, Wire.SwapRequest.class)))));
        case "checkstate" -> when(post, () -> Answer.of(new Wire.States(swaps.checkState(read(body, Wire.CheckStateRequest.class)))));
        case "restore" -> when(post, () -> Answer.of(swaps.restore(read(body, Wire.RestoreRequest.class))));
        default -> throw MintError.notFound();
      };
    }
    if (p.size() == 4 && head.equals("keys")) {
      return when(get, () -> {
        MintKeysets.Entry e = keysets.get(segment(p.get(3)));
        if (e == null) throw MintError.of(NutError.KEYSET_UNKNOWN);
        return Answer.of(keys(e));
      });
    }
    if (p.size() == 4 && p.get(3).equals(BOLT11)) {
      return switch (head) {
        case "mint" -> when(post, () -> Answer.of(new Wire.Signatures(mintQuotes.mint(read(body, Wire.MintRequest.class)))));
        case "melt" -> when(post, () -> {
          MeltQuote q = meltQuotes.melt(read(body, Wire.MeltRequest.class));
          return new Answer(q, q.state() == MeltQuote.State.PAID);
        });
        default -> throw MintError.notFound();
      };
    }
    if ((p.size() == 5 || p.size() == 6) && p.get(3).equals("quote") && p.get(4).equals(BOLT11)) {
      boolean mintSide = head.equals("mint");
      if (!mintSide && !head.equals("melt")) throw MintError.notFound();
      if (p.size() == 6) {
        String id = segment(p.get(5));
        return when(get, () -> Answer.of(mintSide ? mintQuotes.get(id) : meltQuotes.get(id)));
      }
      return when(post, () -> Answer.of(mintSide ? mintQuotes.create(read(body, Wire.MintQuoteRequest.class))
          : meltQuotes.create(read(body, Wire.MeltQuoteRequest.class))));
    }
    throw MintError.notFound();
  }

  @FunctionalInterface
  private interface Action {
    Answer run() throws MintError;
  }

  /** Runs {@code action} when the request used the endpoint's method; any other method finds nothing there. */
  private static Answer when(boolean methodMatches, Action action) throws MintError {
    if (!methodMatches) throw MintError.notFound();
    return action.run();
  }

  /** NUT-06: what this mint supports, with the limits and the NUT-19 cache as they are now. */
  private Map<String, Object> info() {
    DevMint.Options o = mint.options();
    Map<String, Object> nuts = new LinkedHashMap<>();
    Map<String, Object> mintMethod = method(o, Map.of("description", true));
    Map<String, Object> meltMethod = method(o, Map.of("amountless", false));
    nuts.put("4", Map.of("methods", List.of(mintMethod), "disabled", false));
    nuts.put("5", Map.of("methods", List.of(meltMethod), "disabled", false));
    for (String n : List.of("7", "8", "9", "12", "20")) nuts.put(n, Map.of("supported", true));
    if (cache.enabled()) {
      nuts.put("19", Map.of("ttl", cache.ttl().toSeconds(), "cached_endpoints",
          ResponseCache.ENDPOINTS.stream().map(e -> Map.of("method", "POST", "path", e)).toList()));
    }
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("name", o.name());
    info.put("pubkey", mint.infoPubkey());
    info.put("version", "archy-devmint/0.1.0");
    info.put("description", "Archipelago dev mint on a fake Lightning network: test ecash, worth nothing");
    info.put("contact", List.of());
    info.put("time", mint.network().clock().instant().getEpochSecond());
    info.put("nuts", nuts);
    return info;
  }

  private static Map<String, Object> method(DevMint.Options o, Map<String, Object> options) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("method", BOLT11);
    m.put("unit", o.unit());
    m.put("min_amount", 1);
    m.put("max_amount", o.maxAmount());
    m.put("options", options);
    return m;
  }

  private static Wire.Keys keys(MintKeysets.Entry e) {
    KeysetInfo i = e.info();
    Map<String, String> keys = new LinkedHashMap<>();
    e.keyset().keys().forEach((amount, key) -> keys.put(amount.toString(), key.toHex()));
    return new Wire.Keys(List.of(new Wire.KeysetKeys(i.id(), i.unit(), i.active(), i.inputFeePpk(), i.finalExpiry(), keys)));
  }

  private static <T> T read(byte[] body, Class<T> type) throws MintError {
    try {
      T value = Json.mapper().readValue(body, type);
      if (value == null) throw MintError.bad("request body is empty");
      return value;
    } catch (IOException | IllegalArgumentException e) {
      // not e.getMessage(): Jackson quotes input, and inputs hold secrets
      throw MintError.bad("request body does not match the NUT");
    }
  }

  private static String segment(String raw) {
    return URLDecoder.decode(raw, StandardCharsets.UTF_8);
  }

  private static byte[] readBody(InputStream in) throws IOException {
    byte[] body = in.readNBytes(MAX_BODY + 1);
    return body.length > MAX_BODY ? null : body;
  }

  private static byte[] json(Object value) {
    try {
      return Json.mapper().writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("answers always serialize", e);
    }
  }

  private static void pause(HttpFaults.Delay delay) {
    try {
      Thread.sleep(delay.delay());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sendServerError(HttpExchange ex) throws IOException {
    sendProxyError(ex, 500);
  }

  /** An error page without a NUT error, as a crashed mint or a proxy sends. */
  private static void sendProxyError(HttpExchange ex, int status) throws IOException {
    byte[] body = ("HTTP " + status).getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    ex.sendResponseHeaders(status, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }
}
