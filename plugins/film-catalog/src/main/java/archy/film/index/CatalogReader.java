package archy.film.index;

import archy.film.CatalogFilm;
import archy.film.Endpoint;
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
    StringBuilder sql = new StringBuilder("SELECT ").append(FILM_COLUMNS)
        .append(", f.content FROM film_catalog_films f WHERE f.listed = 1");
    List<Object> args = new ArrayList<>();
    if (titleContains != null) {
      sql.append(" AND f.title_search LIKE ? ESCAPE '\\'");
      args.add("%" + likeEscape(titleContains.toLowerCase(Locale.ROOT)) + "%");
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

  public List<CatalogFilm> filmsWithBlob(String blake3) throws SQLException {
    return films("SELECT " + FILM_COLUMNS + " FROM film_catalog_blobs b "
        + "JOIN film_catalog_films f ON f.pubkey = b.pubkey AND f.d = b.d WHERE b.blake3 = ? AND f.listed = 1 "
        + "ORDER BY f.created_at DESC, f.event_id DESC", blake3);
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

  public List<String> blobsOf(String pubkey, String d) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
         PreparedStatement ps = c.prepareStatement(
             "SELECT blake3 FROM film_catalog_blobs WHERE pubkey = ? AND d = ? ORDER BY position")) {
      bind(ps, List.of(pubkey, d));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) out.add(rs.getString(1));
      }
    }
    return out;
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

  /** One seeder per pubkey (its newest advert covering the blob), free and cheap first. */
  public List<Seeder> seeders(String blake3, long now) throws SQLException {
    String sql = "SELECT " + ADVERT_COLUMNS + " FROM film_catalog_adverts a WHERE a.blake3 = ? AND a.expires_at > ? "
        + "UNION ALL SELECT " + ADVERT_COLUMNS + " FROM film_catalog_blobs b JOIN film_catalog_adverts a "
        + "ON a.film_pubkey = b.pubkey AND a.film_d = b.d WHERE b.blake3 = ? AND a.expires_at > ?";
    Map<String, Seeder> newest = new LinkedHashMap<>();
    Map<String, Long> createdAt = new HashMap<>();
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, List.of(blake3, now, blake3, now));
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
            e.hasNonNull("alpn") ? e.get("alpn").asText() : null));
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
      else ps.setString(i + 1, (String) arg);
    }
  }
}
