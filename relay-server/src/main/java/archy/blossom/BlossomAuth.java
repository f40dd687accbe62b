package archy.blossom;

import archy.nostr.Event;
import archy.nostr.EventParser;
import archy.nostr.InvalidEventException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * BUD-11 authorization: a signed kind 24242 event in {@code Authorization: Nostr <base64>}.
 *
 * <p>Lenient where real clients differ from the letter of the BUD (as blossom-server is): the token may be
 * base64url or standard base64, padded or not (blossom-client-sdk used {@code btoa}); {@code server} tags
 * may be bare domains or full URLs (will-it-blossom sends its base URL); times get a small clock skew; and
 * an endpoint that "requires" an {@code x} tag only checks it when the token has any, because clients
 * that do not scope tokens exist. Status mapping: undecodable, wrong kind, bad signature or missing tags
 * 400; missing header, expired, not yet valid or for another server 401; wrong verb or hash 403.
 */
final class BlossomAuth {
  static final int KIND = 24242;

  sealed interface Result {
    record Authorized(Event event) implements Result {
      String pubkey() {
        return event.pubkey();
      }
    }

    record Missing() implements Result {}

    record Failed(int status, String reason) implements Result {}
  }

  private final EventParser parser;
  private final String serverHost;
  private final Clock clock;
  private final long skewSeconds;

  BlossomAuth(EventParser parser, String publicUrl, Clock clock, int skewSeconds) {
    this.parser = parser;
    this.serverHost = host(publicUrl);
    this.clock = clock;
    this.skewSeconds = skewSeconds;
  }

  /**
   * Checks the header for the endpoint's verb ({@code get}, {@code upload}, {@code list}, {@code delete})
   * and, when known, the hash the request is about.
   */
  Result check(String header, String verb, String impliedHash) {
    if (header == null || header.isBlank()) return new Result.Missing();
    String h = header.strip();
    if (!h.regionMatches(true, 0, "Nostr ", 0, 6)) return new Result.Failed(401, "authorization scheme must be Nostr");
    String json;
    try {
      String token = h.substring(6).strip().replace('-', '+').replace('_', '/').replace("=", "");
      json = new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return new Result.Failed(400, "authorization token is not base64");
    }
    Event event;
    try {
      event = parser.parse(json);
    } catch (InvalidEventException e) {
      return new Result.Failed(400, "invalid authorization event: " + e.getMessage());
    }
    if (event.kind() != KIND) return new Result.Failed(400, "authorization event must be kind 24242");
    long now = clock.instant().getEpochSecond();
    if (event.createdAt() > now + skewSeconds) return new Result.Failed(401, "authorization event is from the future");
    Long expiration = event.expiration();
    if (expiration == null) return new Result.Failed(400, "authorization event needs an expiration tag");
    if (expiration + skewSeconds <= now) return new Result.Failed(401, "authorization event has expired");
    String t = event.firstTagValue("t");
    if (t == null) return new Result.Failed(400, "authorization event needs a t tag");
    if (!t.equals(verb)) return new Result.Failed(403, "authorization is for '" + t + "', not '" + verb + "'");
    if (!forThisServer(event)) return new Result.Failed(401, "authorization is for another server");
    if (impliedHash != null && !coversHash(event, impliedHash)) {
      return new Result.Failed(403, "authorization does not cover blob " + impliedHash);
    }
    return new Result.Authorized(event);
  }

  /** True when the token names no hash ({@code x} tags) or names this one. */
  static boolean coversHash(Event event, String sha256) {
    List<String> xs = values(event, "x");
    return xs.isEmpty() || xs.contains(sha256);
  }

  static List<String> values(Event event, String name) {
    return event.tags().stream().filter(t -> t.size() >= 2 && t.get(0).equals(name)).map(t -> t.get(1)).toList();
  }

  private boolean forThisServer(Event event) {
    List<String> servers = values(event, "server");
    if (servers.isEmpty()) return true;
    for (String s : servers) {
      if (serverHost.equals(host(s))) return true;
    }
    return false;
  }

  /** The lowercase host of a URL or of a bare {@code domain[:port][/path]}. */
  static String host(String urlOrDomain) {
    String s = urlOrDomain.strip().toLowerCase(Locale.ROOT);
    if (s.contains("://")) {
      try {
        String host = URI.create(s).getHost();
        return host == null ? s : host.replaceAll("^\\[|\\]$", "");
      } catch (IllegalArgumentException e) {
        return s;
      }
    }
    int slash = s.indexOf('/');
    if (slash >= 0) s = s.substring(0, slash);
    if (s.startsWith("[")) return s.substring(1, Math.max(1, s.indexOf(']')));
    int colon = s.indexOf(':');
    if (colon >= 0 && s.indexOf(':', colon + 1) < 0) s = s.substring(0, colon);
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }
}
