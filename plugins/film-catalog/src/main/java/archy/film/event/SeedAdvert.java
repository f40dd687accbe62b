package archy.film.event;

import archy.film.Endpoint;
import archy.nostr.Event;
import archy.nostr.Hex;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;

/**
 * A kind 30081 seed advert checked against PROTOCOLS.md §2.2: "seeder {@code pubkey} serves blob (or film)
 * {@code blake3} at these endpoints until {@code expiresAt}".
 *
 * @param filmPubkey the publisher of the film the advert covers ({@code a} tag), or null for a single blob
 * @param sha256     the x tag, or null
 * @param satsPerMb  the seeder's price, or null when free
 */
public record SeedAdvert(String eventId, String pubkey, long createdAt, String blake3, String filmPubkey,
                         String filmD, String sha256, List<Endpoint> endpoints, Long satsPerMb, long expiresAt) {
  public static final int KIND = 30081;

  public SeedAdvert {
    endpoints = List.copyOf(endpoints);
  }

  /**
   * @param maxAheadSeconds how far ahead the expiration may lie (7 days by default)
   * @param allowPlainHttp  accept {@code http://} base URLs for https endpoints (tests, LANs)
   */
  public static SeedAdvert parse(Event e, long now, long maxAheadSeconds, boolean allowPlainHttp) throws InvalidEvent {
    if (e.kind() != KIND) throw new InvalidEvent("not a kind " + KIND + " advert");
    String d = e.firstTagValue("d");
    if (!Hex.isLowerHex(d, 64)) throw new InvalidEvent("advert d tag must be a 64-character lowercase hex BLAKE3 hash");
    String filmPubkey = null, filmD = null;
    String a = e.firstTagValue("a");
    if (a != null) {
      String[] parts = a.split(":", 3);
      if (parts.length != 3 || !parts[0].equals(Integer.toString(FilmEvent.KIND)) || !Hex.isLowerHex(parts[1], 64)
          || !FilmEvent.isFilmId(parts[2])) {
        throw new InvalidEvent("advert a tag must be 30082:<publisher pubkey>:<film d>");
      }
      filmPubkey = parts[1];
      filmD = parts[2];
    }
    String x = e.firstTagValue("x");
    if (x != null && !Hex.isLowerHex(x, 64)) {
      throw new InvalidEvent("advert x tag must be a 64-character lowercase hex sha256");
    }
    List<Endpoint> endpoints = endpoints(e, allowPlainHttp);
    Long satsPerMb = Price.satsPerMb(e);
    String expiration = e.firstTagValue("expiration");
    if (expiration == null) throw new InvalidEvent("advert needs an expiration tag");
    long expiresAt = Price.positiveInteger(expiration, "expiration");
    if (expiresAt <= now) throw new InvalidEvent("advert has expired");
    if (expiresAt > now + maxAheadSeconds) {
      throw new InvalidEvent("advert expiration is more than " + maxAheadSeconds + " seconds ahead");
    }
    if (!e.content().isEmpty()) throw new InvalidEvent("advert content must be empty");
    return new SeedAdvert(e.id(), e.pubkey(), e.createdAt(), d, filmPubkey, filmD, x, endpoints, satsPerMb, expiresAt);
  }

  /** Known transports are checked; unknown ones are skipped (future transports), but one known is required. */
  private static List<Endpoint> endpoints(Event e, boolean allowPlainHttp) throws InvalidEvent {
    List<Endpoint> endpoints = new ArrayList<>();
    boolean skippedHttp = false;
    for (List<String> tag : e.tags()) {
      if (tag.size() < 2 || !tag.get(0).equals("endpoint")) continue;
      switch (tag.get(1)) {
        case "https" -> {
          if (tag.size() < 3) {
            throw new InvalidEvent("https endpoint must be [\"endpoint\", \"https\", \"<base url>\"]");
          }
          endpoints.add(Endpoint.https(baseUrl(tag.get(2), allowPlainHttp)));
        }
        // A plain-HTTP node (a LAN, a test) names its real scheme; usable only where plain HTTP is allowed.
        case "http" -> {
          if (!allowPlainHttp) {
            skippedHttp = true;
            continue;
          }
          if (tag.size() < 3 || !tag.get(2).startsWith("http://")) {
            throw new InvalidEvent("http endpoint must be [\"endpoint\", \"http\", \"<http:// base url>\"]");
          }
          endpoints.add(Endpoint.http("http", baseUrl(tag.get(2), true)));
        }
        case "quic" -> {
          if (tag.size() < 4 || tag.get(3).isBlank() || !isHostPort(tag.get(2))) {
            throw new InvalidEvent("quic endpoint must be [\"endpoint\", \"quic\", \"<host:port>\", \"<alpn>\"]");
          }
          String fingerprint = tag.size() >= 5 ? tag.get(4) : null;
          if (fingerprint != null && !Hex.isLowerHex(fingerprint, 64)) {
            throw new InvalidEvent("quic endpoint certificate must be 64 lowercase hex (its sha256)");
          }
          endpoints.add(Endpoint.quic(tag.get(2), tag.get(3), fingerprint));
        }
        default -> { }
      }
    }
    if (endpoints.isEmpty()) {
      throw new InvalidEvent("advert needs at least one https or quic endpoint"
          + (skippedHttp ? " (plain http endpoints are not accepted here)" : ""));
    }
    return endpoints;
  }

  private static String baseUrl(String text, boolean allowPlainHttp) throws InvalidEvent {
    try {
      URI uri = new URI(text);
      String scheme = uri.getScheme();
      boolean ok = "https".equals(scheme) || (allowPlainHttp && "http".equals(scheme));
      if (!ok || uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
        throw new InvalidEvent("https endpoint must be an https:// base URL");
      }
      return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    } catch (URISyntaxException malformed) {
      throw new InvalidEvent("https endpoint must be an https:// base URL");
    }
  }

  private static boolean isHostPort(String text) {
    try {
      URI uri = new URI("quic://" + text);
      return uri.getHost() != null && uri.getPort() > 0 && uri.getPort() <= 65535 && uri.getRawPath().isEmpty()
          && uri.getRawUserInfo() == null;
    } catch (URISyntaxException e) {
      return false;
    }
  }
}
