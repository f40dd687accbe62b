package archy.film.index;

import archy.film.CatalogFilm;
import archy.film.Endpoint;
import archy.film.FilmBlob;
import archy.film.Seeder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/** Reads the catalog tables: the paged listing for the HTTP API and the lookups behind {@code FilmCatalog}. */
public final class CatalogReader {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FILM_COLUMNS = "f.pubkey, f.d, f.event_id, f.created_at, f.title, f.master_sha256, "
      + "f.playlist_blake3, f.sats_per_mb, f.encrypted, f.creator_verified, f.blob_count";
  private static final String ADVERT_COLUMNS = "a.seeder, a.endpoints, a.sats_per_mb, a.expires_at, a.created_at";

  private final DataSource dataSource;

  public CatalogReader(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** How many films the catalog lists (the landing page, the films-listed gauge). */
  public long listedCount() throws SQLException {
    try (Connection c = dataSource.getConnection();
         PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM film_catalog_films WHERE listed = 1");
         ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  /** One catalog entry: the film, its content JSON as published, and its known seeders. */
  public record Entry(CatalogFilm film, String content, int seeders) {}

  /** Keyset position: entries strictly after (older than) this one. */
  public record After(long createdAt, String eventId) {}

  public record Page(List<Entry> entries, After next) {}

  /**
   * Listed films, newest first (ties by id, descending), optionally filtered by a case-insensitive title
   * substring and a genre.
   */
  public Page page(String titleContains, String genre, int limit, After after, long now) throws SQLException {
    return page(titleContains, genre, null, null, limit, after, now);
  }

  /** The same, narrowed to one film's address (pubkey and d) when {@code pubkey} is given. */
  public Page page(String titleContains, String genre, String pubkey, String d, int limit, After after, long now)
      throws SQLException {
    StringBuilder sql = new StringBuilder("SELECT ").append(FILM_COLUMNS)
        .append(", f.content FROM film_catalog_films f WHERE f.listed = 1");
    List<Object> args = new ArrayList<>();
    if (titleContains != null) {
      sql.append(" AND f.title_search LIKE ? ESCAPE '\\'");
      args.add("%" + likeEscape(titleContains.toLowerCase(Locale.ROOT)) + "%");
    }
    if (pubkey != null) {
      sql.append(" AND f.pubkey = ? AND f.d = ?");
      args.add(pubkey);
      args.add(d);
    }
    if (genre != null) {
      sql.append(" AND EXISTS (SELECT 1 FROM film_catalog_genres g WHERE g.genre = ? AND g.pubkey = f.pubkey "
          + "AND g.d = f.d)");
      args.add(genre);
    }
    if (after != null) {
      sql.append(" AND (f.created_at < ? OR (f.created_at = ? AND f.event_id < ?))");
      args.add(after.createdAt());
      args.add(after.createdAt());
      args.add(after.eventId());
    }
    sql.append(" ORDER BY f.created_at DESC, f.event_id DESC LIMIT ?");
    args.add(limit + 1);
    try (Connection c = dataSource.getConnection()) {
      List<Entry> entries = new ArrayList<>();
      List<String> contents = new ArrayList<>();
      List<CatalogFilm> films = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
        bind(ps, args);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            films.add(film(rs));
            contents.add(rs.getString(12));
          }
        }
      }
      boolean more = films.size() > limit;
      if (more) films = films.subList(0, limit);
      Map<FilmKey, Integer> seeders = seederCounts(c, films, now);
      for (int i = 0; i < films.size(); i++) {
        CatalogFilm f = films.get(i);
        entries.add(new Entry(f, contents.get(i), seeders.getOrDefault(new FilmKey(f.pubkey(), f.d()), 0)));
      }
      CatalogFilm last = films.isEmpty() ? null : films.get(films.size() - 1);
      return new Page(entries, more ? new After(last.createdAt(), last.eventId()) : null);
    }
  }

  /**
   * Distinct seeders per film, for a whole page in one round trip: adverts for the film ({@code a} tag) and
   * adverts for any one of its blobs.
   */
  private static Map<FilmKey, Integer> seederCounts(Connection c, List<CatalogFilm> films, long now)
      throws SQLException {
    Map<FilmKey, Integer> counts = new HashMap<>();
    if (films.isEmpty()) return counts;
    String keys = "(VALUES " + String.join(", ", Collections.nCopies(films.size(), "(?, ?)")) + ")";
    String sql = "SELECT a.film_pubkey, a.film_d, a.seeder FROM film_catalog_adverts a "
        + "WHERE (a.film_pubkey, a.film_d) IN " + keys + " AND a.expires_at > ? "
        + "UNION SELECT b.pubkey, b.d, a.seeder FROM film_catalog_blobs b "
        + "JOIN film_catalog_adverts a ON a.blake3 = b.blake3 "
        + "WHERE (b.pubkey, b.d) IN " + keys + " AND a.expires_at > ?";
    List<Object> args = new ArrayList<>();
    for (int round = 0; round < 2; round++) {
      for (CatalogFilm f : films) {
        args.add(f.pubkey());
        args.add(f.d());
      }
      args.add(now);
    }
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) counts.merge(new FilmKey(rs.getString(1), rs.getString(2)), 1, Integer::sum);
      }
    }
    return counts;
  }

  /**
   * Listed films holding a blob known by either hash (the other may be null): named by the event (by BLAKE3) or by
   * the film's playlists (by sha256), directly or through a learnt (sha256, BLAKE3) pair. Four indexed lookups.
   */
  public List<CatalogFilm> filmsContaining(String sha256, String blake3) throws SQLException {
    String sql = "SELECT " + FILM_COLUMNS + " FROM film_catalog_films f JOIN ("
        + "SELECT b.pubkey, b.d FROM film_catalog_blobs b WHERE b.blake3 = ? "
        + "UNION SELECT b.pubkey, b.d FROM film_catalog_sha256 p JOIN film_catalog_blobs b ON b.blake3 = p.blake3 "
        + "WHERE p.sha256 = ? "
        + "UNION SELECT m.pubkey, m.d FROM film_catalog_members m WHERE m.sha256 = ? "
        + "UNION SELECT m.pubkey, m.d FROM film_catalog_sha256 p JOIN film_catalog_members m ON m.sha256 = p.sha256 "
        + "WHERE p.blake3 = ?"
        + ") k ON f.pubkey = k.pubkey AND f.d = k.d WHERE f.listed = 1 ORDER BY f.created_at DESC, f.event_id DESC";
    List<CatalogFilm> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, blake3);
      ps.setString(2, sha256);
      ps.setString(3, sha256);
      ps.setString(4, blake3);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) out.add(film(rs));
      }
    }
    return out;
  }

  /**
   * A film's whole blob set: what its playlists name (by sha256, master first, in playlist order) and what its
   * event names (by BLAKE3: playlist, poster, segments), joined where a pair is known, each blob once.
   */
  public List<FilmBlob> blobSet(String pubkey, String d) throws SQLException {
    Map<String, FilmBlob> bySha = new LinkedHashMap<>();
    List<FilmBlob> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection()) {
      try (PreparedStatement ps = c.prepareStatement("SELECT m.sha256, p.blake3, m.role FROM film_catalog_members m "
          + "LEFT JOIN film_catalog_sha256 p ON p.sha256 = m.sha256 WHERE m.pubkey = ? AND m.d = ? ORDER BY m.position")) {
        bind(ps, List.of(pubkey, d));
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) bySha.put(rs.getString(1), new FilmBlob(rs.getString(1), rs.getString(2), rs.getString(3)));
        }
      }
      Set<String> seenBlake3 = new HashSet<>();
      for (FilmBlob b : bySha.values()) {
        if (b.blake3() != null) seenBlake3.add(b.blake3());
      }
      out.addAll(bySha.values());
      try (PreparedStatement ps = c.prepareStatement("SELECT b.blake3, p.sha256, b.role FROM film_catalog_blobs b "
          + "LEFT JOIN film_catalog_sha256 p ON p.blake3 = b.blake3 WHERE b.pubkey = ? AND b.d = ? ORDER BY b.position")) {
        bind(ps, List.of(pubkey, d));
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            String blake3 = rs.getString(1), sha256 = rs.getString(2);
            if (seenBlake3.contains(blake3) || (sha256 != null && bySha.containsKey(sha256))) continue;
            seenBlake3.add(blake3);
            out.add(new FilmBlob(sha256, blake3, rs.getString(3)));
          }
        }
      }
    }
    return out;
  }

  /** A film whose playlists are due to be read: never read for this version, or unreachable last time. */
  public record CrawlDue(String pubkey, String d, String eventId, String masterSha256, String playlistBlake3,
                         int attempts) {}

  /**
   * Listed films to crawl now. An unreachable crawl waits 30 s × 2^attempts (at most an hour) before the next try;
   * a malformed one waits for a new version of the film.
   */
  public List<CrawlDue> crawlsDue(long now, int limit) throws SQLException {
    String sql = "SELECT f.pubkey, f.d, f.event_id, f.master_sha256, f.playlist_blake3, c.attempts, c.state, "
        + "c.updated_at, c.event_id FROM film_catalog_films f LEFT JOIN film_catalog_crawls c "
        + "ON c.pubkey = f.pubkey AND c.d = f.d WHERE f.listed = 1 AND (c.event_id IS NULL OR c.event_id <> f.event_id "
        + "OR c.state = 'unreachable') ORDER BY f.created_at DESC";
    List<CrawlDue> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql);
         ResultSet rs = ps.executeQuery()) {
      while (rs.next() && out.size() < limit) {
        String crawled = rs.getString(9);
        boolean sameVersion = rs.getString(3).equals(crawled);
        int attempts = sameVersion ? rs.getInt(6) : 0;
        if (sameVersion) {
          long wait = Math.min(3_600L, 30L << Math.min(attempts, 7));
          if (rs.getLong(8) + wait > now) continue;
        }
        out.add(new CrawlDue(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
            attempts));
      }
    }
    return out;
  }

  /** How reading a film's playlists went: {@code state} is null before the first crawl of this version. */
  public record CrawlState(String state, String detail) {}

  /** The film's genres (its t tags), sorted. */
  public List<String> genres(String pubkey, String d) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
        "SELECT genre FROM film_catalog_genres WHERE pubkey = ? AND d = ? ORDER BY genre")) {
      bind(ps, List.of(pubkey, d));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) out.add(rs.getString(1));
      }
    }
    return out;
  }

  public CrawlState crawlState(String pubkey, String d, String eventId) throws SQLException {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
        "SELECT state, detail, event_id FROM film_catalog_crawls WHERE pubkey = ? AND d = ?")) {
      bind(ps, List.of(pubkey, d));
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next() || !rs.getString(3).equals(eventId)) return new CrawlState(null, null);
        return new CrawlState(rs.getString(1), rs.getString(2));
      }
    }
  }

  public List<CatalogFilm> monetizedFilms(int limit) throws SQLException {
    return films("SELECT " + FILM_COLUMNS + " FROM film_catalog_films f WHERE f.listed = 1 AND f.sats_per_mb IS NOT NULL "
        + "ORDER BY f.created_at DESC, f.event_id DESC LIMIT " + Math.max(1, limit));
  }

  public Optional<CatalogFilm> film(String pubkey, String d) throws SQLException {
    List<CatalogFilm> found = films("SELECT " + FILM_COLUMNS + " FROM film_catalog_films f "
        + "WHERE f.pubkey = ? AND f.d = ? AND f.listed = 1", pubkey, d);
    return found.stream().findFirst();
  }

  /** Every indexed film, listed or not, as (pubkey, d) to event id: what a rebuild compares the store with. */
  public Map<FilmKey, String> indexedFilms() throws SQLException {
    Map<FilmKey, String> out = new HashMap<>();
    try (Connection c = dataSource.getConnection();
         PreparedStatement ps = c.prepareStatement("SELECT pubkey, d, event_id FROM film_catalog_films");
         ResultSet rs = ps.executeQuery()) {
      while (rs.next()) out.put(new FilmKey(rs.getString(1), rs.getString(2)), rs.getString(3));
    }
    return out;
  }

  /** Every indexed advert's event id. */
  public Set<String> indexedAdvertIds() throws SQLException {
    Set<String> out = new HashSet<>();
    try (Connection c = dataSource.getConnection();
         PreparedStatement ps = c.prepareStatement("SELECT event_id FROM film_catalog_adverts");
         ResultSet rs = ps.executeQuery()) {
      while (rs.next()) out.add(rs.getString(1));
    }
    return out;
  }

  static final int NONE_LISTED = 0, ALL_LISTED = 1, SOME_LISTED = 2;

  /** Indexed publishers and whether none, all or some of their films are listed. */
  Map<String, Integer> publishers() throws SQLException {
    Map<String, Integer> out = new HashMap<>();
    try (Connection c = dataSource.getConnection();
         PreparedStatement ps = c.prepareStatement(
             "SELECT pubkey, MIN(listed), MAX(listed) FROM film_catalog_films GROUP BY pubkey");
         ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        int min = rs.getInt(2), max = rs.getInt(3);
        out.put(rs.getString(1), min == max ? min : SOME_LISTED);
      }
    }
    return out;
  }

  public Optional<String> sha256ForBlake3(String blake3) throws SQLException {
    try (Connection c = dataSource.getConnection();
         PreparedStatement ps = c.prepareStatement("SELECT sha256 FROM film_catalog_sha256 WHERE blake3 = ?")) {
      ps.setString(1, blake3);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    }
  }

  public Optional<String> blake3ForSha256(String sha256) throws SQLException {
    try (Connection c = dataSource.getConnection();
         PreparedStatement ps = c.prepareStatement("SELECT blake3 FROM film_catalog_sha256 WHERE sha256 = ?")) {
      ps.setString(1, sha256);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    }
  }

  /**
   * One seeder per pubkey (its newest advert covering the blob), free and cheap first: adverts for the blob by
   * BLAKE3, and adverts for any listed film holding it ({@link #filmsContaining}), so a blob known only by the
   * sha256 a playlist names still finds the seeders of its film.
   */
  public List<Seeder> seeders(String sha256, String blake3, long now) throws SQLException {
    List<Object> args = new ArrayList<>();
    StringBuilder sql = new StringBuilder("SELECT " + ADVERT_COLUMNS + " FROM film_catalog_adverts a WHERE a.blake3 = ? "
        + "AND a.expires_at > ?");
    args.add(blake3);
    args.add(now);
    List<CatalogFilm> films = filmsContaining(sha256, blake3);
    for (CatalogFilm f : films) {
      sql.append(" UNION ALL SELECT " + ADVERT_COLUMNS + " FROM film_catalog_adverts a WHERE a.film_pubkey = ? "
          + "AND a.film_d = ? AND a.expires_at > ?");
      args.add(f.pubkey());
      args.add(f.d());
      args.add(now);
    }
    Map<String, Seeder> newest = new LinkedHashMap<>();
    Map<String, Long> createdAt = new HashMap<>();
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
      bind(ps, args);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String seeder = rs.getString(1);
          long created = rs.getLong(5);
          if (createdAt.getOrDefault(seeder, Long.MIN_VALUE) >= created) continue;
          long price = rs.getLong(3);
          Long satsPerMb = rs.wasNull() ? null : price;
          newest.put(seeder, new Seeder(seeder, endpoints(rs.getString(2)), satsPerMb, rs.getLong(4)));
          createdAt.put(seeder, created);
        }
      }
    }
    List<Seeder> out = new ArrayList<>(newest.values());
    out.sort(Comparator.comparingLong((Seeder s) -> s.satsPerMb() == null ? 0 : s.satsPerMb())
        .thenComparing(Comparator.comparingLong(Seeder::expiresAt).reversed()));
    return out;
  }

  /** An advert this node published for a whole film, as indexed. */
  public record OwnAdvert(String filmPubkey, String filmD, String blake3, String eventId, long expiresAt,
                          Long satsPerMb, List<Endpoint> endpoints) {}

  /** The unexpired film adverts signed by {@code seeder} (this node), by film coordinate. */
  public Map<String, OwnAdvert> filmAdvertsBy(String seeder, long now) throws SQLException {
    Map<String, OwnAdvert> out = new LinkedHashMap<>();
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
        "SELECT film_pubkey, film_d, blake3, event_id, expires_at, sats_per_mb, endpoints FROM film_catalog_adverts "
            + "WHERE seeder = ? AND film_pubkey IS NOT NULL AND expires_at > ?")) {
      bind(ps, List.of(seeder, now));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long price = rs.getLong(6);
          Long satsPerMb = rs.wasNull() ? null : price;
          OwnAdvert a = new OwnAdvert(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
              satsPerMb, endpoints(rs.getString(7)));
          out.put("30082:" + a.filmPubkey() + ":" + a.filmD(), a);
        }
      }
    }
    return out;
  }

  /** Listed public (not encrypted) films, newest first, at most {@code limit}: what a node may advertise. */
  public List<CatalogFilm> publicFilms(int limit) throws SQLException {
    return films("SELECT " + FILM_COLUMNS + " FROM film_catalog_films f WHERE f.listed = 1 AND f.encrypted = 0 "
        + "ORDER BY f.created_at DESC, f.event_id DESC LIMIT " + Math.max(1, limit));
  }

  /** (pubkey, d) of a film. */
  public record FilmKey(String pubkey, String d) {}

  private List<CatalogFilm> films(String sql, String... args) throws SQLException {
    List<CatalogFilm> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, List.of(args));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) out.add(film(rs));
      }
    }
    return out;
  }

  private static CatalogFilm film(ResultSet rs) throws SQLException {
    long price = rs.getLong(8);
    Long satsPerMb = rs.wasNull() ? null : price;
    return new CatalogFilm(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getString(5),
        rs.getString(6), rs.getString(7), satsPerMb, rs.getInt(9) == 1, rs.getInt(10) == 1, rs.getInt(11));
  }

  private static List<Endpoint> endpoints(String json) {
    List<Endpoint> out = new ArrayList<>();
    try {
      for (JsonNode e : JSON.readTree(json)) {
        out.add(new Endpoint(e.path("transport").asText(), e.path("address").asText(),
            e.hasNonNull("alpn") ? e.get("alpn").asText() : null,
            e.hasNonNull("fingerprint") ? e.get("fingerprint").asText() : null));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private static String likeEscape(String s) {
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }

  private static void bind(PreparedStatement ps, List<?> args) throws SQLException {
    for (int i = 0; i < args.size(); i++) {
      Object arg = args.get(i);
      if (arg instanceof Long l) ps.setLong(i + 1, l);
      else if (arg instanceof Integer n) ps.setInt(i + 1, n);
      else ps.setString(i + 1, (String) arg); // null binds SQL NULL, which equals nothing
    }
  }
}
