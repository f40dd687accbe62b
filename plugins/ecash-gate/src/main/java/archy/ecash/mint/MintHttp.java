package archy.ecash.mint;

import archy.ecash.encoding.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * One round trip to a mint: JSON in, JSON out, errors sorted into the {@link MintException} kinds. Replays a
 * request whose answer was lost when the caller says the mint caches that endpoint (NUT-19): the body is
 * serialized once and resent byte for byte, since the mint's cache key is method, path and body.
 */
final class MintHttp {
  private static final int MAX_DETAIL = 500;

  /**
   * What a call needs besides its body (a call with a body is a POST, without one a GET): the path under the mint
   * URL, the endpoint's template for messages, its timeout, and the replay budget.
   */
  record Call(String path, String endpoint, Duration timeout, Replay replay) {}

  /** NUT-19 replay budget: attempts after the first, the pause between them, and the cache's ttl (null: forever). */
  record Replay(int attempts, Duration backoff, Duration ttl) {
    static final Replay NONE = new Replay(0, Duration.ZERO, null);
  }

  private final String baseUrl;
  private final HttpClient http;

  MintHttp(String baseUrl, HttpClient http) {
    this.baseUrl = baseUrl;
    this.http = http;
  }

  <T> T send(Call call, Object body, Class<T> responseType) throws MintException {
    byte[] json = body == null ? null : serialize(body);
    long start = System.nanoTime();
    for (int attempt = 0; ; attempt++) {
      try {
        return once(call, json, responseType);
      } catch (MintUnavailableException lost) {
        Replay r = call.replay();
        boolean withinTtl = r.ttl() == null || System.nanoTime() - start + r.backoff().toNanos() < r.ttl().toNanos();
        if (attempt >= r.attempts() || !withinTtl) throw lost;
        pause(call, r.backoff().multipliedBy(attempt + 1L));
      }
    }
  }

  private <T> T once(Call call, byte[] json, Class<T> responseType) throws MintException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + call.path()))
        .timeout(call.timeout())
        .header("Accept", "application/json");
    if (json == null) {
      request.GET();
    } else {
      request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(json));
    }
    HttpResponse<byte[]> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (HttpTimeoutException e) {
      throw new MintUnavailableException(call.endpoint(), "no answer within " + call.timeout(), 0, e);
    } catch (IOException e) {
      throw new MintUnavailableException(call.endpoint(), "connection failed: " + e.getClass().getSimpleName(), 0, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MintUnavailableException(call.endpoint(), "interrupted while waiting for the mint", 0, e);
    }
    int status = response.statusCode();
    if (status / 100 == 2) return parse(call, response.body(), responseType);
    Messages.ErrorResponse error = errorBody(response.body());
    // Only a NUT error code says the mint refused: a 408 or 429 from a proxy, a 404 from a misrouted path or a
    // code no NUT defines may come after the mint acted, so the outcome stays unknown until state is read.
    if (error != null && error.code() != null && NutError.of(error.code()).isPresent()) {
      throw new MintRejectedException(call.endpoint(), status, error.code(), truncate(error.detail()));
    }
    throw new MintUnavailableException(call.endpoint(), "HTTP " + status + " without a NUT error", status, null);
  }

  private static <T> T parse(Call call, byte[] body, Class<T> type) throws MintProtocolException {
    try {
      T value = Json.mapper().readValue(body, type);
      if (value == null) throw new MintProtocolException(call.endpoint(), "empty response");
      return value;
    } catch (IOException | IllegalArgumentException e) {
      // The cause names the field but not its value: Jackson's messages can quote input, so keep them out.
      throw new MintProtocolException(call.endpoint(), "response does not match the NUT: " + e.getClass().getSimpleName());
    }
  }

  private static Messages.ErrorResponse errorBody(byte[] body) {
    try {
      return Json.mapper().readValue(body, Messages.ErrorResponse.class);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static String truncate(String detail) {
    return detail == null || detail.length() <= MAX_DETAIL ? detail : detail.substring(0, MAX_DETAIL) + "…";
  }

  private static byte[] serialize(Object body) {
    try {
      return Json.mapper().writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("request records always serialize", e);
    }
  }

  private static void pause(Call call, Duration d) throws MintUnavailableException {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MintUnavailableException(call.endpoint(), "interrupted before replaying", 0, e);
    }
  }
}
