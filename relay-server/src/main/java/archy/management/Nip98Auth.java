package archy.management;

import archy.nostr.Event;
import archy.nostr.EventParser;
import archy.nostr.Hex;
import archy.nostr.InvalidEventException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Base64;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * NIP-98 HTTP auth as NIP-86 asks for it: {@code Authorization: Nostr <base64 kind 27235 event>} signed by one of
 * {@code [relay] admins}, made within {@value #WINDOW_SECONDS} s of now (either way), with a {@code u} tag naming
 * this relay, a {@code method} tag {@code POST} and a {@code payload} tag holding the SHA-256 of the body (required
 * here, as NIP-86 says). The {@code u} tag may use ws/wss or http/https and may or may not end in {@code /}: the
 * relay URL is one thing whichever way a client spells it. Each authorization is accepted once: a copied header
 * replayed within the window is refused (per process; behind a balancer a replay could reach a sibling once).
 */
final class Nip98Auth {
  static final int KIND = 27235;
  static final long WINDOW_SECONDS = 60;

  sealed interface Result {
    record Authorized(String pubkey) implements Result {}

    record Refused(String reason) implements Result {}
  }

  private final EventParser parser;
  private final Set<String> admins;
  private final Clock clock;
  /**
   * Signatures of authorizations accepted within the window, with when they stop mattering. Keyed by signature,
   * not id: the same call made twice in one second has the same id, but a fresh signature (BIP-340 aux randomness)
   * unless it is a copy.
   */
  private final Map<String, Long> used = new ConcurrentHashMap<>();

  Nip98Auth(EventParser parser, Set<String> admins, Clock clock) {
    this.parser = parser;
    this.admins = Set.copyOf(admins);
    this.clock = clock;
  }

  /**
   * @param urls the URLs this request may be signed for (the configured public URL, the URL the request came to)
   */
  Result check(String header, String method, Collection<String> urls, byte[] body) {
    if (admins.isEmpty()) return new Result.Refused("this relay has no admins (set [relay] admins)");
    if (header == null || header.isBlank()) return new Result.Refused("a NIP-98 Authorization header is required");
    String h = header.strip();
    if (!h.regionMatches(true, 0, "Nostr ", 0, 6)) return new Result.Refused("authorization scheme must be Nostr");
    Event event;
    try {
      String token = h.substring(6).strip().replace('-', '+').replace('_', '/').replace("=", "");
      event = parser.parse(new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      return new Result.Refused("authorization is not base64");
    } catch (InvalidEventException e) {
      return new Result.Refused("invalid authorization event: " + e.getMessage());
    }
    if (event.kind() != KIND) return new Result.Refused("authorization event must be kind " + KIND);
    long now = clock.instant().getEpochSecond();
    if (Math.abs(event.createdAt() - now) > WINDOW_SECONDS) {
      return new Result.Refused("authorization event is more than " + WINDOW_SECONDS + " s from now");
    }
    String u = event.firstTagValue("u");
    if (u == null || urls.stream().noneMatch(url -> sameRelay(u, url))) {
      return new Result.Refused("authorization u tag is not this relay's URL");
    }
    if (!method.equalsIgnoreCase(event.firstTagValue("method"))) {
      return new Result.Refused("authorization method tag must be " + method);
    }
    String payload = event.firstTagValue("payload");
    if (payload == null) return new Result.Refused("authorization needs a payload tag (SHA-256 of the body)");
    if (!payload.equalsIgnoreCase(sha256Hex(body))) {
      return new Result.Refused("authorization payload tag does not match the body");
    }
    if (!admins.contains(event.pubkey())) return new Result.Refused("this key is not an admin of this relay");
    forgetExpired(now);
    if (used.putIfAbsent(event.sig(), now + 2 * WINDOW_SECONDS) != null) {
      return new Result.Refused("this authorization was used already");
    }
    return new Result.Authorized(event.pubkey());
  }

  private void forgetExpired(long now) {
    if (used.size() > 64) used.values().removeIf(until -> until < now);
  }

  static String sha256Hex(byte[] body) {
    try {
      return Hex.encode(MessageDigest.getInstance("SHA-256").digest(body));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Scheme (ws as http), host and port, path without a trailing slash, and query compared. */
  static boolean sameRelay(String a, String b) {
    String x = normalized(a);
    return x != null && x.equals(normalized(b));
  }

  private static String normalized(String url) {
    try {
      URI uri = new URI(url.strip());
      if (uri.getScheme() == null || uri.getHost() == null) return null;
      String scheme = switch (uri.getScheme().toLowerCase(Locale.ROOT)) {
        case "ws", "http" -> "http";
        case "wss", "https" -> "https";
        default -> null;
      };
      if (scheme == null) return null;
      int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("http") ? 80 : 443;
      String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceFirst("/+$", "");
      String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
      return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port + path + query;
    } catch (URISyntaxException e) {
      return null;
    }
  }
}
