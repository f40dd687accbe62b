package archy.film.advert;

import archy.film.CatalogFilm;
import archy.film.Endpoint;
import archy.film.FilmBlob;
import archy.film.BlobPresence;
import archy.film.event.SeedAdvert;
import archy.film.index.CatalogReader;
import archy.film.index.CatalogReader.OwnAdvert;
import archy.nostr.Event;
import archy.nostr.EventSigner;
import archy.nostr.Keys;
import archy.nostr.Kinds;
import archy.plugin.EventGateway;
import archy.plugin.Origin;
import archy.quic.QuicNetwork;
import java.net.URI;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes this node a seeder (PROTOCOLS.md §2.2): for every listed public film whose whole blob set it holds (the
 * playlists read, every blob stored), it publishes one kind 30081 advert ({@code d} = the playlist's BLAKE3,
 * {@code a} = the film, {@code x} = the master's sha256, its HTTP endpoint, its price, an {@code expiration} a
 * few days ahead), renews it when a third of that time is left or the price changes, and withdraws it with a
 * NIP-09 deletion once it no longer holds the film (or the film is gone). Adverts go to the node's own relay and
 * to its upstream relays ({@link UpstreamPublisher}).
 *
 * <p>Runs on the plugin's scheduler every {@code advert_check_seconds}; each pass is a handful of indexed queries
 * per film. Encrypted films are never advertised (their blobs are not public).
 */
public final class Advertiser {
  private static final Logger log = LoggerFactory.getLogger(Advertiser.class);
  private static final int MAX_FILMS = 10_000;

  private final CatalogReader reader;
  private final BlobPresence presence;
  private final EventGateway events;
  private final UpstreamPublisher upstreams;
  private final Keys keys;
  private final Endpoint endpoint;
  private final QuicNetwork quic;
  /** The protocol a {@code quic} endpoint tag names: blobs by BLAKE3 (paid-blobs registers it). */
  static final String BLOB_ALPN = "archy/paid-blobs/1";
  private final long advertSeconds;
  private final Clock clock;

  /**
   * @param publicUrl     the node's public base URL, advertised with its own scheme
   * @param advertSeconds how far ahead each advert expires
   */
  public Advertiser(CatalogReader reader, BlobPresence presence, EventGateway events, UpstreamPublisher upstreams,
                    Keys keys, String publicUrl, QuicNetwork quic, long advertSeconds, Clock clock) {
    this.quic = quic;
    this.reader = reader;
    this.presence = presence;
    this.events = events;
    this.upstreams = upstreams;
    this.keys = keys;
    String base = publicUrl.replaceAll("/+$", "");
    this.endpoint = Endpoint.http(URI.create(base).getScheme(), base);
    this.advertSeconds = advertSeconds;
    this.clock = clock;
  }

  /** One pass (one at a time): advertise what is held whole, renew what is due, withdraw what is not held any more. */
  public synchronized void check() {
    try {
      long now = clock.instant().getEpochSecond();
      Map<String, OwnAdvert> mine = reader.filmAdvertsBy(keys.publicKeyHex(), now);
      Set<String> keep = new HashSet<>();
      List<Endpoint> endpoints = endpoints();
      for (CatalogFilm film : reader.publicFilms(MAX_FILMS)) {
        OwnAdvert current = mine.get(film.coordinate());
        if (!heldWhole(film)) continue;
        keep.add(film.coordinate());
        if (current == null || renewDue(current, now) || !Objects.equals(current.satsPerMb(), film.satsPerMb())
            || !current.endpoints().equals(endpoints)) {
          publish(advert(film, now, endpoints), current == null ? "published" : "renewed", film.coordinate());
        }
      }
      for (Map.Entry<String, OwnAdvert> e : mine.entrySet()) {
        if (!keep.contains(e.getKey())) publish(withdrawal(e.getValue(), now), "withdrawn", e.getKey());
      }
    } catch (SQLException | RuntimeException e) {
      log.warn("seed adverts: the check failed, will retry: {}", e.getMessage());
    }
  }

  /** The playlists were read (the set is whole, not just what the event names) and every blob is stored here. */
  private boolean heldWhole(CatalogFilm film) throws SQLException {
    CatalogReader.CrawlState crawl = reader.crawlState(film.pubkey(), film.d(), film.eventId());
    if (!"done".equals(crawl.state())) return false;
    List<FilmBlob> set = reader.blobSet(film.pubkey(), film.d());
    return !set.isEmpty() && presence.countHeld(set) == set.size();
  }

  private boolean renewDue(OwnAdvert advert, long now) {
    return advert.expiresAt() - now < advertSeconds / 3;
  }

  /** HTTP(S) always; QUIC too (pinned by the node's certificate) while this node serves blobs over it. */
  private List<Endpoint> endpoints() {
    List<Endpoint> out = new ArrayList<>(List.of(endpoint));
    if (quic.serves(BLOB_ALPN)) {
      quic.endpoint().ifPresent(hostPort -> out.add(Endpoint.quic(hostPort, BLOB_ALPN, quic.fingerprint())));
    }
    return out;
  }

  Event advert(CatalogFilm film, long now, List<Endpoint> endpoints) {
    List<List<String>> tags = new ArrayList<>();
    tags.add(List.of("d", film.playlistBlake3()));
    tags.add(List.of("a", film.coordinate()));
    tags.add(List.of("x", film.masterSha256()));
    for (Endpoint e : endpoints) {
      tags.add(e.transport().equals("quic") ? List.of("endpoint", "quic", e.address(), e.alpn(), e.fingerprint())
          : List.of("endpoint", e.transport(), e.address()));
    }
    if (film.monetized()) tags.add(List.of("price", Long.toString(film.satsPerMb()), "sat"));
    tags.add(List.of("expiration", Long.toString(now + advertSeconds)));
    return EventSigner.sign(keys, now, SeedAdvert.KIND, tags, "");
  }

  private Event withdrawal(OwnAdvert advert, long now) {
    List<List<String>> tags = List.of(
        List.of("a", SeedAdvert.KIND + ":" + keys.publicKeyHex() + ":" + advert.blake3()),
        List.of("e", advert.eventId()),
        List.of("k", Integer.toString(SeedAdvert.KIND)));
    return EventSigner.sign(keys, now, Kinds.DELETION, tags, "this node no longer holds the film");
  }

  private void publish(Event event, String what, String coordinate) {
    try {
      EventGateway.Published result = events.publish(event, Origin.INTERNAL).get();
      if (!result.accepted()) {
        log.warn("seed advert for {} was refused by this relay: {}", coordinate, result.message());
        return;
      }
    } catch (Exception e) {
      log.warn("seed advert for {} could not be stored: {}", coordinate, e.getMessage());
      return;
    }
    log.info("seed advert {} for {} ({} endpoint {})", what, coordinate, endpoint.transport(), endpoint.address());
    upstreams.publish(event);
  }
}
