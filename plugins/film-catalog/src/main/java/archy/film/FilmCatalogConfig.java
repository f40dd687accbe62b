package archy.film;

import archy.config.ConfigException;
import archy.config.ConfigSection;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The {@code [film-catalog]} section (docs/configuration.md lists every key and default). Pubkeys are kept as
 * lowercase hex whichever way the operator wrote them.
 *
 * @param storeUntrusted   {@code untrusted = "unlisted"}: films of untrusted publishers are stored but not listed
 * @param openAdverts      {@code adverts = "open"}: 30081 from anyone, {@code advertsPerMinute} per pubkey
 * @param backstageMaxBytes the largest source video the {@code /backstage} page takes
 * @param preferRelay      fetch-through asks the known relays (kind 10021 {@code ["relay"]}) before direct sources
 */
public record FilmCatalogConfig(Set<String> trustedPublishers, Set<String> filmRoots, boolean storeUntrusted,
                                List<URI> upstreamRelays, List<String> originServers, boolean publishNip71,
                                boolean fetchAllowPrivate, Set<String> federationPeers, boolean openAdverts,
                                int advertsPerMinute, long maxAdvertSeconds, int maxFilmEventBytes,
                                long trustRefreshSeconds, long syncSlackSeconds, long playlistRetrySeconds,
                                boolean advertise, long advertSeconds, long advertCheckSeconds,
                                long backstageMaxBytes, boolean preferRelay) {
  public FilmCatalogConfig {
    trustedPublishers = Set.copyOf(trustedPublishers);
    filmRoots = Set.copyOf(filmRoots);
    upstreamRelays = List.copyOf(upstreamRelays);
    originServers = List.copyOf(originServers);
    federationPeers = Set.copyOf(federationPeers);
  }

  /**
   * Reads {@code [film-catalog]}; every key it reads is a key the section accepts (RelayPlugin.readConfig).
   *
   * @throws archy.config.ConfigException naming the key and the bad value
   */
  public static FilmCatalogConfig from(ConfigSection c) {
    Set<String> trusted = c.pubkeys("trusted_publishers");
    Set<String> roots = c.pubkeys("film_roots");
    boolean unlisted = c.choice("untrusted", "reject", "reject", "unlisted").equals("unlisted");
    Set<String> peers = c.pubkeys("federation_peers");
    boolean open = c.choice("adverts", "trusted", "trusted", "open").equals("open");
    int perMinute = c.integer("open_adverts_per_minute", 30, 1);
    int advertDays = c.integer("max_advert_days", 7, 1);
    int maxBytes = c.integer("max_film_event_bytes", 262_144, 1);
    List<URI> upstreams = new ArrayList<>();
    for (String url : c.strings("upstream_relays")) {
      URI uri = uri(c, "upstream_relays", url);
      if (!("ws".equals(uri.getScheme()) || "wss".equals(uri.getScheme())) || uri.getHost() == null) {
        throw new ConfigException(c.path() + ".upstream_relays: '" + url + "' is not a ws:// or wss:// URL");
      }
      upstreams.add(uri);
    }
    long slack = c.integer("sync_slack_seconds", 600, 1);
    long trustRefresh = c.integer("trust_refresh_seconds", 60, 1);
    List<String> origins = new ArrayList<>();
    for (String url : c.strings("origin_servers")) {
      URI uri = uri(c, "origin_servers", url);
      if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
        throw new ConfigException(c.path() + ".origin_servers: '" + url + "' is not an http(s) URL");
      }
      origins.add(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    }
    long playlistRetry = c.integer("playlist_retry_seconds", 60, 1);
    boolean advertise = c.bool("advertise", true);
    long advertSeconds = advertSeconds(c);
    long advertCheck = c.integer("advert_check_seconds", 300, 1);
    return new FilmCatalogConfig(trusted, roots, unlisted, upstreams, origins, c.bool("publish_nip71", false),
        c.bool("fetch_allow_private", false), peers, open, perMinute, advertDays * 86_400L, maxBytes, trustRefresh,
        slack, playlistRetry, advertise, advertSeconds, advertCheck,
        c.longInteger("backstage_max_bytes", 64L << 30, 1), c.bool("prefer_relay", false));
  }

  /** {@code advert_seconds} (tests) or {@code advert_days} (default 3); within the 7 days others accept. */
  private static long advertSeconds(ConfigSection c) {
    int days = c.integer("advert_days", 3, 1);
    Long seconds = c.optionalLong("advert_seconds", 1);
    if (days > 7) throw new ConfigException(c.path() + ".advert_days must be at most 7, got " + days);
    if (seconds != null && seconds > 7 * 86_400L) {
      throw new ConfigException(c.path() + ".advert_seconds must be at most 604800 (7 days), got " + seconds);
    }
    return seconds != null ? seconds : days * 86_400L;
  }

  private static URI uri(ConfigSection c, String key, String url) {
    try {
      return new URI(url);
    } catch (URISyntaxException e) {
      throw new ConfigException(c.path() + "." + key + ": '" + url + "' is not a URL");
    }
  }
}
