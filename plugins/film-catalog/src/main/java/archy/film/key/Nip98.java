package archy.film.key;

import archy.nostr.Event;
import archy.nostr.EventParser;
import archy.nostr.EventSigner;
import archy.nostr.Hex;
import archy.nostr.InvalidEventException;
import archy.nostr.Keys;
import archy.nostr.Schnorr;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * NIP-98 HTTP authentication: a kind 27235 event in {@code Authorization: Nostr <base64>} with the request's
 * absolute URL ({@code u}), its method ({@code method}) and, for a request with a body, the body's sha256
 * ({@code payload}), signed within a minute of the request. Both sides live here: {@link #header} for clients
 * ({@code archy film}), {@link #check} for the key route. Status mapping: no or undecodable header, wrong kind,
 * bad signature, stale, or for another URL, method or body → 401 (the caller is not authenticated).
 */
public final class Nip98 {
  public static final int KIND = 27235;
  /** How far {@code created_at} may be from the server's clock (NIP-98 suggests 60 s). */
  static final long WINDOW_SECONDS = 60;
  private static final EventParser PARSER = new EventParser(Schnorr.verifier());

  private Nip98() {}

  /** The outcome of a check: the authenticated pubkey, or why not (always 401). */
  public sealed interface Result {
    record Authenticated(String pubkey) implements Result {}

    record Refused(String reason) implements Result {}
  }

  /** The header value a client sends: {@code Nostr <base64 of the signed event>}. */
  public static String header(Keys keys, String method, URI url, byte[] body, long now) {
    List<List<String>> tags = new ArrayList<>();
    tags.add(List.of("u", url.toString()));
    tags.add(List.of("method", method.toUpperCase(Locale.ROOT)));
    if (body != null && body.length > 0) tags.add(List.of("payload", sha256(body)));
    Event event = EventSigner.sign(keys, now, KIND, tags, "");
    return "Nostr " + Base64.getEncoder().encodeToString(event.json().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * @param header       the Authorization header (may be null)
   * @param method       the request's method
   * @param pathAndQuery the request's path and raw query ({@code /api/film-key?a=…}), which {@code u} must end with
   * @param authorities  the {@code host[:port]} values {@code u} may name (the node's public URL, the Host header)
   * @param body         the request body, or null/empty
   */
  public static Result check(String header, String method, String pathAndQuery, List<String> authorities, byte[] body,
                             long now) {
    if (header == null || header.isBlank()) return refused("NIP-98 authorization required (Authorization: Nostr …)");
    String h = header.strip();
    if (!h.regionMatches(true, 0, "Nostr ", 0, 6)) return refused("authorization scheme must be Nostr (NIP-98)");
    Event event;
    try {
      String token = h.substring(6).strip().replace('-', '+').replace('_', '/').replace("=", "");
      event = PARSER.parse(new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      return refused("authorization token is not base64");
    } catch (InvalidEventException e) {
      return refused("invalid authorization event: " + e.getMessage());
    }
    if (event.kind() != KIND) return refused("authorization event must be kind " + KIND);
    if (Math.abs(event.createdAt() - now) > WINDOW_SECONDS) {
      return refused("authorization event is not from the last " + WINDOW_SECONDS + " s");
    }
    String u = event.firstTagValue("u");
    if (u == null) return refused("authorization event needs a u tag");
    if (!sameUrl(u, pathAndQuery, authorities)) return refused("authorization is for another URL: " + u);
    String m = event.firstTagValue("method");
    if (m == null || !m.equalsIgnoreCase(method)) return refused("authorization is for method " + m + ", not " + method);
    if (body != null && body.length > 0 && !sha256(body).equals(event.firstTagValue("payload"))) {
      return refused("authorization payload tag does not match the body's sha256");
    }
    return new Result.Authenticated(event.pubkey());
  }

  private static boolean sameUrl(String u, String pathAndQuery, List<String> authorities) {
    URI uri;
    try {
      uri = URI.create(u);
    } catch (IllegalArgumentException e) {
      return false;
    }
    if (uri.getRawAuthority() == null || uri.getScheme() == null) return false;
    String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    if (!path.equals(pathAndQuery)) return false;
    String authority = uri.getRawAuthority().toLowerCase(Locale.ROOT);
    return authorities.stream().anyMatch(a -> a != null && a.toLowerCase(Locale.ROOT).equals(authority));
  }

  private static Result refused(String reason) {
    return new Result.Refused(reason);
  }

  static String sha256(byte[] body) {
    try {
      return Hex.encode(MessageDigest.getInstance("SHA-256").digest(body));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
