package archy.film;

import archy.nostr.Keys;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code [film-catalog]} section (docs/configuration.md lists every key and default). Pubkeys are kept as
 * lowercase hex whichever way the operator wrote them.
 *
 * @param storeUntrusted   {@code untrusted = "unlisted"}: films of untrusted publishers are stored but not listed
 * @param openAdverts      {@code adverts = "open"}: 30081 from anyone, {@code advertsPerMinute} per pubkey
 */
public record FilmCatalogConfig(Set<String> trustedPublishers, Set<String> filmRoots, boolean storeUntrusted,
                                List<URI> upstreamRelays, List<String> originServers, boolean publishNip71,
                                boolean fetchAllowPrivate, Set<String> federationPeers, boolean openAdverts,
                                int advertsPerMinute, long maxAdvertSeconds, int maxFilmEventBytes,
                                long trustRefreshSeconds, long syncSlackSeconds, long playlistRetrySeconds,
                                boolean advertise, long advertSeconds, long advertCheckSeconds) {
  private static final String SECTION = "film-catalog.";

  public FilmCatalogConfig {
    trustedPublishers = Set.copyOf(trustedPublishers);
    filmRoots = Set.copyOf(filmRoots);
    upstreamRelays = List.copyOf(upstreamRelays);
    originServers = List.copyOf(originServers);
    federationPeers = Set.copyOf(federationPeers);
  }

  /** @throws IllegalArgumentException naming the key and the bad value */
  public static FilmCatalogConfig from(JsonNode c) {
    String untrusted = text(c, "untrusted", "reject");
    if (!untrusted.equals("reject") && !untrusted.equals("unlisted")) {
      throw new IllegalArgumentException(
          SECTION + "untrusted must be \"reject\" or \"unlisted\", not \"" + untrusted + "\"");
    }
    String adverts = text(c, "adverts", "trusted");
    if (!adverts.equals("trusted") && !adverts.equals("open")) {
      throw new IllegalArgumentException(SECTION + "adverts must be \"trusted\" or \"open\", not \"" + adverts + "\"");
    }
    List<URI> upstreams = new ArrayList<>();
    for (String url : strings(c, "upstream_relays")) {
      URI uri = URI.create(url);
      if (!("ws".equals(uri.getScheme()) || "wss".equals(uri.getScheme())) || uri.getHost() == null) {
        throw new IllegalArgumentException(SECTION + "upstream_relays: '" + url + "' is not a ws:// or wss:// URL");
      }
      upstreams.add(uri);
    }
    List<String> origins = new ArrayList<>();
    for (String url : strings(c, "origin_servers")) {
      URI uri = URI.create(url);
      if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
        throw new IllegalArgumentException(SECTION + "origin_servers: '" + url + "' is not an http(s) URL");
      }
      origins.add(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    }
    return new FilmCatalogConfig(
        pubkeys(c, "trusted_publishers"), pubkeys(c, "film_roots"), untrusted.equals("unlisted"), upstreams, origins,
        bool(c, "publish_nip71", false), bool(c, "fetch_allow_private", false), pubkeys(c, "federation_peers"),
        adverts.equals("open"), positive(c, "open_adverts_per_minute", 30),
        positive(c, "max_advert_days", 7) * 86_400L, positive(c, "max_film_event_bytes", 262_144),
        positive(c, "trust_refresh_seconds", 60), positive(c, "sync_slack_seconds", 600),
        positive(c, "playlist_retry_seconds", 60), bool(c, "advertise", true), advertSeconds(c),
        positive(c, "advert_check_seconds", 300));
  }

  /** {@code advert_seconds} (tests) or {@code advert_days} (default 3); within the 7 days others accept. */
  private static long advertSeconds(JsonNode c) {
    long seconds = c.has("advert_seconds") ? positive(c, "advert_seconds", 1) : positive(c, "advert_days", 3) * 86_400L;
    if (seconds > 7 * 86_400L) throw new IllegalArgumentException(SECTION + "advert_days must be at most 7");
    return seconds;
  }

  private static Set<String> pubkeys(JsonNode c, String key) {
    Set<String> out = new LinkedHashSet<>();
    for (String value : strings(c, key)) {
      try {
        out.add(Keys.parsePublicKey(value));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(SECTION + key + ": " + e.getMessage());
      }
    }
    return out;
  }

  private static List<String> strings(JsonNode c, String key) {
    JsonNode node = c.get(key);
    if (node == null) return List.of();
    if (!node.isArray()) throw new IllegalArgumentException(SECTION + key + " must be a list of strings");
    List<String> out = new ArrayList<>();
    for (JsonNode item : node) {
      if (!item.isTextual()) throw new IllegalArgumentException(SECTION + key + " must be a list of strings");
      out.add(item.asText());
    }
    return out;
  }

  private static String text(JsonNode c, String key, String fallback) {
    JsonNode node = c.get(key);
    if (node == null) return fallback;
    if (!node.isTextual()) throw new IllegalArgumentException(SECTION + key + " must be a string");
    return node.asText();
  }

  private static boolean bool(JsonNode c, String key, boolean fallback) {
    JsonNode node = c.get(key);
    if (node == null) return fallback;
    if (!node.isBoolean()) throw new IllegalArgumentException(SECTION + key + " must be true or false");
    return node.asBoolean();
  }

  private static int positive(JsonNode c, String key, int fallback) {
    JsonNode node = c.get(key);
    if (node == null) return fallback;
    if (!node.canConvertToInt() || !node.isIntegralNumber() || node.asInt() <= 0) {
      throw new IllegalArgumentException(SECTION + key + " must be a positive integer");
    }
    return node.asInt();
  }
}
