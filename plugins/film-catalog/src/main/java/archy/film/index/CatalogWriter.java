package archy.film.index;

import archy.film.event.FilmEvent;
import archy.film.event.SeedAdvert;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Writes to the catalog tables inside the caller's transaction. One instance per transaction: statements are
 * prepared on first use and reused for the rest of the batch. The SQL is the same on SQLite and PostgreSQL
 * ({@code INSERT … ON CONFLICT} exists in both).
 *
 * <p>The many small rows of a film (blobs, genres, sha256 pairs) are queued and sent together by
 * {@link #flush()} before the commit (or before anything that must see them): on PostgreSQL the
 * driver turns a queue into multi-row INSERTs, one round trip instead of one per row.
 */
public final class CatalogWriter implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private enum Sql {
    INSERT_FILM("INSERT INTO film_catalog_films (pubkey, d, event_id, created_at, title, title_search, master_sha256, "
        + "playlist_blake3, sats_per_mb, encrypted, creator_verified, blob_count, listed, content) "
        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (pubkey, d) DO NOTHING"),
    REPLACE_FILM("UPDATE film_catalog_films SET event_id = ?, created_at = ?, title = ?, title_search = ?, "
        + "master_sha256 = ?, playlist_blake3 = ?, sats_per_mb = ?, encrypted = ?, creator_verified = ?, "
        + "blob_count = ?, listed = ?, content = ? WHERE pubkey = ? AND d = ? "
        // NIP-01: newer created_at wins; on a tie the lower id.
        + "AND (created_at < ? OR (created_at = ? AND event_id > ?))"),
    DELETE_BLOBS("DELETE FROM film_catalog_blobs WHERE pubkey = ? AND d = ?"),
    DELETE_GENRES("DELETE FROM film_catalog_genres WHERE pubkey = ? AND d = ?"),
    DELETE_MEMBERS("DELETE FROM film_catalog_members WHERE pubkey = ? AND d = ?"),
    DELETE_CRAWL("DELETE FROM film_catalog_crawls WHERE pubkey = ? AND d = ?"),
    INSERT_MEMBER("INSERT INTO film_catalog_members (sha256, pubkey, d, role, position) VALUES (?, ?, ?, ?, ?) "
        + "ON CONFLICT (sha256, pubkey, d) DO NOTHING"),
    CURRENT_EVENT("SELECT event_id FROM film_catalog_films WHERE pubkey = ? AND d = ?"),
    UPSERT_CRAWL("INSERT INTO film_catalog_crawls (pubkey, d, event_id, state, detail, attempts, updated_at) "
        + "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (pubkey, d) DO UPDATE SET event_id = excluded.event_id, "
        + "state = excluded.state, detail = excluded.detail, attempts = excluded.attempts, "
        + "updated_at = excluded.updated_at"),
    INSERT_BLOB("INSERT INTO film_catalog_blobs (blake3, pubkey, d, role, position) VALUES (?, ?, ?, ?, ?) "
        + "ON CONFLICT (blake3, pubkey, d) DO NOTHING"),
    INSERT_GENRE("INSERT INTO film_catalog_genres (genre, pubkey, d) VALUES (?, ?, ?) "
        + "ON CONFLICT (genre, pubkey, d) DO NOTHING"),
    LEARN_SHA256("INSERT INTO film_catalog_sha256 (sha256, blake3) VALUES (?, ?) ON CONFLICT (sha256) DO NOTHING"),
    DELETE_FILM("DELETE FROM film_catalog_films WHERE pubkey = ? AND d = ? AND created_at <= ?"),
    FILM_BY_ID("SELECT d FROM film_catalog_films WHERE event_id = ? AND pubkey = ?"),
    SET_LISTED("UPDATE film_catalog_films SET listed = ? WHERE pubkey = ?"),
    UPSERT_ADVERT("INSERT INTO film_catalog_adverts (seeder, blake3, film_pubkey, film_d, sha256, endpoints, "
        + "sats_per_mb, expires_at, created_at, event_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        + "ON CONFLICT (seeder, blake3) DO UPDATE SET "
        + "film_pubkey = excluded.film_pubkey, film_d = excluded.film_d, sha256 = excluded.sha256, "
        + "endpoints = excluded.endpoints, sats_per_mb = excluded.sats_per_mb, expires_at = excluded.expires_at, "
        + "created_at = excluded.created_at, event_id = excluded.event_id "
        + "WHERE excluded.created_at > film_catalog_adverts.created_at "
        + "OR (excluded.created_at = film_catalog_adverts.created_at "
        + "AND excluded.event_id < film_catalog_adverts.event_id)"),
    DELETE_ADVERT("DELETE FROM film_catalog_adverts WHERE seeder = ? AND blake3 = ? AND created_at <= ?"),
    DELETE_ADVERT_BY_ID("DELETE FROM film_catalog_adverts WHERE event_id = ? AND seeder = ?"),
    DELETE_ADVERT_EVENT("DELETE FROM film_catalog_adverts WHERE event_id = ?"),
    PURGE_ADVERTS("DELETE FROM film_catalog_adverts WHERE expires_at <= ?");

    final String text;

    Sql(String text) {
      this.text = text;
    }
  }

  private final Connection c;
  private final Map<Sql, PreparedStatement> prepared = new EnumMap<>(Sql.class);
  private final Set<PreparedStatement> queued = new LinkedHashSet<>();

  public CatalogWriter(Connection c) {
    this.c = c;
  }

  /**
   * Indexes the film unless a newer version is indexed; true when this version is now the indexed one. A new
   * film is one INSERT; only a replacement pays for deleting the old version's blob and genre rows.
   */
  public boolean upsertFilm(FilmEvent f, boolean listed) throws SQLException {
    List<String> blobs = f.blobs();
    PreparedStatement insert = statement(Sql.INSERT_FILM);
    insert.setString(1, f.pubkey());
    insert.setString(2, f.d());
    bindVersion(insert, 3, f, blobs.size(), listed);
    if (insert.executeUpdate() == 0) {
      PreparedStatement replace = statement(Sql.REPLACE_FILM);
      bindVersion(replace, 1, f, blobs.size(), listed);
      replace.setString(13, f.pubkey());
      replace.setString(14, f.d());
      replace.setLong(15, f.createdAt());
      replace.setLong(16, f.createdAt());
      replace.setString(17, f.eventId());
      if (replace.executeUpdate() == 0) return false;
      deleteParts(f.pubkey(), f.d());
    }
    PreparedStatement blob = statement(Sql.INSERT_BLOB);
    for (int i = 0; i < blobs.size(); i++) {
      String hash = blobs.get(i);
      String role = hash.equals(f.playlist()) ? "playlist" : hash.equals(f.poster()) ? "poster" : "segment";
      blob.setString(1, hash);
      blob.setString(2, f.pubkey());
      blob.setString(3, f.d());
      blob.setString(4, role);
      blob.setInt(5, i);
      queue(blob);
    }
    for (String g : f.genres()) {
      PreparedStatement genre = statement(Sql.INSERT_GENRE);
      genre.setString(1, g);
      genre.setString(2, f.pubkey());
      genre.setString(3, f.d());
      queue(genre);
    }
    learnSha256(f.masterSha256(), f.playlist());
    return true;
  }

  /** Binds event_id … content (12 columns, in table order) from {@code first}. */
  private static void bindVersion(PreparedStatement ps, int first, FilmEvent f, int blobCount, boolean listed)
      throws SQLException {
    ps.setString(first, f.eventId());
    ps.setLong(first + 1, f.createdAt());
    ps.setString(first + 2, f.title());
    ps.setString(first + 3, f.title().toLowerCase(Locale.ROOT));
    ps.setString(first + 4, f.masterSha256());
    ps.setString(first + 5, f.playlist());
    setLong(ps, first + 6, f.satsPerMb());
    ps.setInt(first + 7, f.encrypted() ? 1 : 0);
    ps.setInt(first + 8, f.creatorVerified() ? 1 : 0);
    ps.setInt(first + 9, blobCount);
    ps.setInt(first + 10, listed ? 1 : 0);
    ps.setString(first + 11, f.content());
  }

  /** NIP-09 by address: removes the film if its indexed version is not newer than the deletion. */
  public boolean deleteFilm(String pubkey, String d, long deletedAt) throws SQLException {
    PreparedStatement delete = statement(Sql.DELETE_FILM);
    delete.setString(1, pubkey);
    delete.setString(2, d);
    delete.setLong(3, deletedAt);
    if (delete.executeUpdate() == 0) return false;
    deleteParts(pubkey, d);
    return true;
  }

  /** NIP-09 by id; returns the film's d when it was indexed, else null. */
  public String deleteFilmById(String eventId, String pubkey) throws SQLException {
    PreparedStatement find = statement(Sql.FILM_BY_ID);
    find.setString(1, eventId);
    find.setString(2, pubkey);
    String d = null;
    try (var rs = find.executeQuery()) {
      if (rs.next()) d = rs.getString(1);
    }
    if (d != null) deleteFilm(pubkey, d, Long.MAX_VALUE);
    return d;
  }

  public void setListed(Collection<String> pubkeys, boolean listed) throws SQLException {
    if (pubkeys.isEmpty()) return;
    PreparedStatement update = statement(Sql.SET_LISTED);
    for (String pubkey : pubkeys) {
      update.setInt(1, listed ? 1 : 0);
      update.setString(2, pubkey);
      update.addBatch();
    }
    update.executeBatch();
  }

  public boolean upsertAdvert(SeedAdvert a) throws SQLException {
    PreparedStatement upsert = statement(Sql.UPSERT_ADVERT);
    upsert.setString(1, a.pubkey());
    upsert.setString(2, a.blake3());
    upsert.setString(3, a.filmPubkey());
    upsert.setString(4, a.filmD());
    upsert.setString(5, a.sha256());
    upsert.setString(6, endpointsJson(a));
    setLong(upsert, 7, a.satsPerMb());
    upsert.setLong(8, a.expiresAt());
    upsert.setLong(9, a.createdAt());
    upsert.setString(10, a.eventId());
    boolean stored = upsert.executeUpdate() > 0;
    if (stored && a.sha256() != null) learnSha256(a.sha256(), a.blake3());
    return stored;
  }

  public void deleteAdvert(String seeder, String blake3, long deletedAt) throws SQLException {
    PreparedStatement delete = statement(Sql.DELETE_ADVERT);
    delete.setString(1, seeder);
    delete.setString(2, blake3);
    delete.setLong(3, deletedAt);
    delete.executeUpdate();
  }

  public void deleteAdvertById(String eventId, String seeder) throws SQLException {
    PreparedStatement delete = statement(Sql.DELETE_ADVERT_BY_ID);
    delete.setString(1, eventId);
    delete.setString(2, seeder);
    delete.executeUpdate();
  }

  /** Drops an advert whose event is no longer stored (replaced or deleted while the plugin was off). */
  public void deleteAdvertEvent(String eventId) throws SQLException {
    PreparedStatement delete = statement(Sql.DELETE_ADVERT_EVENT);
    delete.setString(1, eventId);
    delete.executeUpdate();
  }

  public int purgeExpiredAdverts(long now) throws SQLException {
    PreparedStatement purge = statement(Sql.PURGE_ADVERTS);
    purge.setLong(1, now);
    return purge.executeUpdate();
  }

  /** Keeps the first pair seen for a sha256: the hashes are of the same bytes, so a second pair can only be a lie. */
  public void learnSha256(String sha256, String blake3) throws SQLException {
    PreparedStatement learn = statement(Sql.LEARN_SHA256);
    learn.setString(1, sha256);
    learn.setString(2, blake3);
    queue(learn);
  }

  private void deleteParts(String pubkey, String d) throws SQLException {
    flush(); // rows queued for an earlier version of this film in the same batch must go too
    for (Sql sql : new Sql[] {Sql.DELETE_BLOBS, Sql.DELETE_GENRES, Sql.DELETE_MEMBERS, Sql.DELETE_CRAWL}) {
      PreparedStatement delete = statement(sql);
      delete.setString(1, pubkey);
      delete.setString(2, d);
      delete.executeUpdate();
    }
  }

  /**
   * Replaces what a film's playlists were found to name (PROTOCOLS.md §1), unless the film moved on to another
   * version while they were read: that version gets its own crawl. False when nothing was written.
   */
  public boolean recordCrawl(String pubkey, String d, String eventId, List<Member> members, String state,
                             String detail, int attempts, long now) throws SQLException {
    PreparedStatement current = statement(Sql.CURRENT_EVENT);
    current.setString(1, pubkey);
    current.setString(2, d);
    try (var rs = current.executeQuery()) {
      if (!rs.next() || !rs.getString(1).equals(eventId)) return false;
    }
    PreparedStatement delete = statement(Sql.DELETE_MEMBERS);
    delete.setString(1, pubkey);
    delete.setString(2, d);
    delete.executeUpdate();
    PreparedStatement insert = statement(Sql.INSERT_MEMBER);
    for (int i = 0; i < members.size(); i++) {
      insert.setString(1, members.get(i).sha256());
      insert.setString(2, pubkey);
      insert.setString(3, d);
      insert.setString(4, members.get(i).role());
      insert.setInt(5, i);
      queue(insert);
    }
    PreparedStatement crawl = statement(Sql.UPSERT_CRAWL);
    crawl.setString(1, pubkey);
    crawl.setString(2, d);
    crawl.setString(3, eventId);
    crawl.setString(4, state);
    crawl.setString(5, detail);
    crawl.setInt(6, attempts);
    crawl.setLong(7, now);
    crawl.executeUpdate();
    return true;
  }

  /** A blob a film's playlists name: its sha256 and its role ({@code master}, {@code playlist}, {@code segment}…). */
  public record Member(String sha256, String role) {}

  private static String endpointsJson(SeedAdvert a) {
    ArrayNode array = JSON.createArrayNode();
    a.endpoints().forEach(e -> {
      var node = array.addObject().put("transport", e.transport()).put("address", e.address());
      if (e.alpn() != null) node.put("alpn", e.alpn());
      if (e.fingerprint() != null) node.put("fingerprint", e.fingerprint());
    });
    return array.toString();
  }

  private static void setLong(PreparedStatement ps, int index, Long value) throws SQLException {
    if (value == null) ps.setNull(index, Types.BIGINT);
    else ps.setLong(index, value);
  }

  private PreparedStatement statement(Sql sql) throws SQLException {
    PreparedStatement ps = prepared.get(sql);
    if (ps == null) {
      ps = c.prepareStatement(sql.text);
      prepared.put(sql, ps);
    }
    return ps;
  }

  private void queue(PreparedStatement ps) throws SQLException {
    ps.addBatch();
    queued.add(ps);
  }

  /** Sends the queued rows. */
  public void flush() throws SQLException {
    for (PreparedStatement ps : queued) ps.executeBatch();
    queued.clear();
  }

  /** Closes the statements; rows still queued are dropped (call {@link #flush()} before committing). */
  @Override
  public void close() throws SQLException {
    queued.clear();
    SQLException first = null;
    for (PreparedStatement ps : prepared.values()) {
      try {
        ps.close();
      } catch (SQLException e) {
        if (first == null) first = e;
      }
    }
    if (first != null) throw first;
  }
}
