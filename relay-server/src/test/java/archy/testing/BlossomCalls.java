package archy.testing;

import archy.nostr.Event;
import archy.nostr.EventSigner;
import archy.nostr.Hex;
import archy.nostr.Keys;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Blossom round trips over real HTTP: BUD-11 tokens, uploads, gets and deletes against a node. */
public final class BlossomCalls {
  public static final HttpClient HTTP = HttpClient.newHttpClient();

  private final String base;

  public BlossomCalls(String base) {
    this.base = base;
  }

  public static long now() {
    return System.currentTimeMillis() / 1000;
  }

  public static String sha256(byte[] bytes) {
    try {
      return Hex.encode(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A kind 24242 token valid for an hour, with {@code extra} tags (x, server) after t and expiration. */
  public static Event token(Keys keys, String verb, List<List<String>> extra) {
    return token(keys, verb, extra, now() - 1, now() + 3600);
  }

  public static Event token(Keys keys, String verb, List<List<String>> extra, long createdAt, long expiration) {
    List<List<String>> tags = new ArrayList<>();
    tags.add(List.of("t", verb));
    tags.add(List.of("expiration", Long.toString(expiration)));
    tags.addAll(extra);
    return EventSigner.sign(keys, createdAt, 24242, tags, "test " + verb);
  }

  /** The header as the BUD says: base64url without padding. */
  public static String header(Event token) {
    return "Nostr " + Base64.getUrlEncoder().withoutPadding().encodeToString(token.json().getBytes(StandardCharsets.UTF_8));
  }

  /** The header as some clients send it: standard, padded base64. */
  public static String standardBase64Header(Event token) {
    return "Nostr " + Base64.getEncoder().encodeToString(token.json().getBytes(StandardCharsets.UTF_8));
  }

  public HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(base + path));
  }

  public HttpResponse<byte[]> send(HttpRequest.Builder request) throws Exception {
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  public HttpResponse<String> sendText(HttpRequest.Builder request) throws Exception {
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** {@code PUT /upload} with a token scoped to the body's hash and an {@code X-SHA-256} header. */
  public HttpResponse<String> upload(Keys keys, byte[] body, String type) throws Exception {
    String sha = sha256(body);
    HttpRequest.Builder r = request("/upload").PUT(HttpRequest.BodyPublishers.ofByteArray(body))
        .header("Authorization", header(token(keys, "upload", List.of(List.of("x", sha)))))
        .header("X-SHA-256", sha);
    if (type != null) r.header("Content-Type", type);
    return sendText(r);
  }

  public HttpResponse<byte[]> get(String path, String... headers) throws Exception {
    HttpRequest.Builder r = request(path).GET();
    if (headers.length > 0) r.headers(headers);
    return send(r);
  }

  public HttpResponse<byte[]> head(String path, String... headers) throws Exception {
    HttpRequest.Builder r = request(path).method("HEAD", HttpRequest.BodyPublishers.noBody());
    if (headers.length > 0) r.headers(headers);
    return send(r);
  }

  public HttpResponse<String> delete(Keys keys, String sha256) throws Exception {
    return sendText(request("/" + sha256).DELETE()
        .header("Authorization", header(token(keys, "delete", List.of(List.of("x", sha256))))));
  }
}
