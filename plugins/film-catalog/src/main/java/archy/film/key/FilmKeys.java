package archy.film.key;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import javax.sql.DataSource;

/**
 * The keys of encrypted films this node publishes and who may have them ({@code film_catalog_keys},
 * {@code film_catalog_grants}, on SQLite or PostgreSQL). Reads go straight to the database; writes go through
 * the plugin's one writer (the index worker), so SQLite never sees two writers.
 */
public final class FilmKeys {
  /** How a write's work is run: the index worker's {@code submit}. */
  public interface Writer {
    java.util.concurrent.CompletableFuture<Void> submit(Runnable work);
  }

  private final DataSource dataSource;
  private final Writer writer;

  public FilmKeys(DataSource dataSource, Writer writer) {
    this.dataSource = dataSource;
    this.writer = writer;
  }

  /** The film's key (32 hex), or null when this node holds none. */
  public String key(String pubkey, String d) throws SQLException {
    try (Connection c = dataSource.getConnection();
         PreparedStatement ps = c.prepareStatement("SELECT key_hex FROM film_catalog_keys WHERE pubkey = ? AND d = ?")) {
      ps.setString(1, pubkey);
      ps.setString(2, d);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  /** Stores the key unless one is held already (a film's key never changes: its segments are encrypted with it). */
  public void putKey(String pubkey, String d, String keyHex, long now) throws SQLException {
    write("INSERT INTO film_catalog_keys (pubkey, d, key_hex, created_at) VALUES (?, ?, ?, ?) "
        + "ON CONFLICT (pubkey, d) DO NOTHING", pubkey, d, keyHex, now);
  }

  public boolean isGranted(String pubkey, String d, String viewer) throws SQLException {
    try (Connection c = dataSource.getConnection();
         PreparedStatement ps = c.prepareStatement(
             "SELECT 1 FROM film_catalog_grants WHERE pubkey = ? AND d = ? AND viewer = ?")) {
      ps.setString(1, pubkey);
      ps.setString(2, d);
      ps.setString(3, viewer);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** The viewers of a film, in the order they were granted. */
  public List<String> viewers(String pubkey, String d) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
         PreparedStatement ps = c.prepareStatement(
             "SELECT viewer FROM film_catalog_grants WHERE pubkey = ? AND d = ? ORDER BY granted_at, viewer")) {
      ps.setString(1, pubkey);
      ps.setString(2, d);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) out.add(rs.getString(1));
      }
    }
    return out;
  }

  public void grant(String pubkey, String d, String viewer, long now) throws SQLException {
    write("INSERT INTO film_catalog_grants (pubkey, d, viewer, granted_at) VALUES (?, ?, ?, ?) "
        + "ON CONFLICT (pubkey, d, viewer) DO NOTHING", pubkey, d, viewer, now);
  }

  public void revoke(String pubkey, String d, String viewer) throws SQLException {
    write("DELETE FROM film_catalog_grants WHERE pubkey = ? AND d = ? AND viewer = ?", pubkey, d, viewer);
  }

  private void write(String sql, Object... values) throws SQLException {
    try {
      writer.submit(() -> {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
          for (int i = 0; i < values.length; i++) ps.setObject(i + 1, values[i]);
          ps.executeUpdate();
        } catch (SQLException e) {
          throw new CompletionException(e);
        }
      }).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof SQLException s) throw s;
      throw e;
    }
  }
}
