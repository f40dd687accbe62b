package archy.film.nip71;

import archy.film.event.FilmEvent;
import archy.film.index.CatalogReader.FilmKey;
import archy.nostr.Event;
import archy.nostr.EventSigner;
import archy.nostr.Keys;
import archy.plugin.EventGateway;
import archy.plugin.Origin;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * NIP-71 kind 34235 companions (PROTOCOLS.md §2.5), signed by the node key, one per listed public film, so
 * ordinary Nostr video clients can list and play catalog films. What was published is remembered in
 * {@code film_catalog_companions}: a restart publishes only companions whose film changed. A film that
 * leaves the catalog (untrusted, deleted, now encrypted) gets its companion deleted (NIP-09, by address).
 *
 * <p>The companion's address is (node key, 34235, film d), as §2.5 asks: two publishers' films with the same
 * d share one companion address, and the newer film's companion replaces the other's.
 */
public final class Companions {
  public static final int KIND = 34235;
  private static final Logger log = LoggerFactory.getLogger(Companions.class);

  private record Published(String filmEventId, long createdAt) {}

  private final Keys nodeKeys;
  private final EventGateway events;
  private final DataSource dataSource;
  private final String publicUrl;
  private final Clock clock;
  private final Executor writes;
  private final Map<FilmKey, Published> published = new ConcurrentHashMap<>();

  /** @param writes where table writes run (the index worker), never the store's completion thread */
  public Companions(Keys nodeKeys, EventGateway events, DataSource dataSource, String publicUrl, Clock clock,
                    Executor writes) {
    this.nodeKeys = nodeKeys;
    this.events = events;
    this.dataSource = dataSource;
    this.publicUrl = publicUrl;
    this.clock = clock;
    this.writes = writes;
  }

  public void load() throws SQLException {
    try (Connection c = dataSource.getConnection();
         PreparedStatement ps = c.prepareStatement(
             "SELECT pubkey, d, film_event_id, created_at FROM film_catalog_companions");
         ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        published.put(new FilmKey(rs.getString(1), rs.getString(2)), new Published(rs.getString(3), rs.getLong(4)));
      }
    }
  }

  public boolean isCurrent(FilmKey key, String filmEventId) {
    Published p = published.get(key);
    return p != null && p.filmEventId().equals(filmEventId);
  }

  public Set<FilmKey> keys() {
    return Set.copyOf(published.keySet());
  }

  /** Publishes (or replaces) the companion of a listed film; encrypted films get none, and lose an old one. */
  public void filmListed(FilmEvent film) {
    FilmKey key = new FilmKey(film.pubkey(), film.d());
    if (film.encrypted()) {
      filmGone(key);
      return;
    }
    if (isCurrent(key, film.eventId())) return;
    Published previous = published.get(key);
    long createdAt = Math.max(clock.instant().getEpochSecond(), previous == null ? 0 : previous.createdAt() + 1);
    String content = film.summary() == null ? "" : film.summary();
    Event companion = EventSigner.sign(nodeKeys, createdAt, KIND, tags(film), content);
    Published next = new Published(film.eventId(), createdAt);
    published.put(key, next);
    events.publish(companion, Origin.INTERNAL).thenAccept(result -> {
      if (result.accepted()) {
        writes.execute(() -> record(key, next));
      } else {
        published.remove(key, next);
        log.warn("NIP-71 companion for {} refused: {}", film.d(), result.message());
      }
    });
  }

  /** Deletes the companion of a film that left the catalog. */
  public void filmGone(FilmKey key) {
    Published previous = published.remove(key);
    if (previous == null) return;
    long now = Math.max(clock.instant().getEpochSecond(), previous.createdAt());
    Event deletion = EventSigner.sign(nodeKeys, now, 5,
        List.of(List.of("a", KIND + ":" + nodeKeys.publicKeyHex() + ":" + key.d())), "film left the catalog");
    events.publish(deletion, Origin.INTERNAL);
    writes.execute(() -> forget(key));
  }

  List<List<String>> tags(FilmEvent film) {
    List<List<String>> tags = new ArrayList<>();
    tags.add(List.of("d", film.d()));
    tags.add(List.of("title", film.title()));
    long publishedAt = film.publishedAt() == null ? film.createdAt() : film.publishedAt();
    tags.add(List.of("published_at", Long.toString(publishedAt)));
    tags.add(List.of("duration", Long.toString(film.durationSeconds())));
    for (String genre : film.genres()) tags.add(List.of("t", genre));
    List<String> imeta = new ArrayList<>(List.of("imeta", "url " + publicUrl + "/" + film.masterSha256() + ".m3u8",
        "m application/vnd.apple.mpegurl", "x " + film.masterSha256()));
    // The poster is known by BLAKE3 only, so it is linked at the node's /b3/ address (PROTOCOLS.md §1).
    if (film.poster() != null) imeta.add("image " + publicUrl + "/b3/" + film.poster());
    tags.add(List.copyOf(imeta));
    tags.add(List.of("a", FilmEvent.KIND + ":" + film.pubkey() + ":" + film.d()));
    tags.add(List.of("alt", "Film: " + film.title()));
    return tags;
  }

  private void record(FilmKey key, Published p) {
    if (published.get(key) != p) return; // superseded or retracted while the publish was in flight
    try (Connection c = dataSource.getConnection();
         PreparedStatement ps = c.prepareStatement("INSERT INTO film_catalog_companions "
             + "(pubkey, d, film_event_id, created_at) VALUES (?, ?, ?, ?) "
             + "ON CONFLICT (pubkey, d) DO UPDATE SET film_event_id = excluded.film_event_id, "
             + "created_at = excluded.created_at")) {
      ps.setString(1, key.pubkey());
      ps.setString(2, key.d());
      ps.setString(3, p.filmEventId());
      ps.setLong(4, p.createdAt());
      ps.executeUpdate();
    } catch (SQLException e) {
      log.warn("cannot record the companion of {}", key.d(), e);
    }
  }

  private void forget(FilmKey key) {
    try (Connection c = dataSource.getConnection();
         PreparedStatement ps = c.prepareStatement("DELETE FROM film_catalog_companions WHERE pubkey = ? AND d = ?")) {
      ps.setString(1, key.pubkey());
      ps.setString(2, key.d());
      ps.executeUpdate();
    } catch (SQLException e) {
      log.warn("cannot forget the companion of {}", key.d(), e);
    }
  }
}
