package archy.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a component's tables up to date; the host uses it for its events ("events") and every plugin for
 * its own tables (component = plugin name).
 *
 * <p>Scripts are classpath resources {@code db/<component>/<sqlite|postgresql>/V1.sql}, {@code V2.sql}, …,
 * applied in order until the next number is missing. Each runs in its own transaction together with its
 * row in {@code schema_migrations(component, version, applied_at)}, so a failing script leaves nothing
 * behind and is tried again on the next start. A script is handed to the driver whole: both drivers run
 * several {@code ;}-separated statements (including SQLite triggers and PostgreSQL {@code $$} bodies).
 *
 * <p>Rules for script authors: never edit a script that has shipped, add the next number instead; prefix
 * table names with the component's name; write each script for both dialects.
 *
 * <p>Two processes may start together on one PostgreSQL database: each transaction first takes an advisory
 * lock for the current schema, so scripts run once and in order. On SQLite the pool's transactions begin
 * {@code IMMEDIATE}, which takes the file's write lock first.
 */
public final class Migrations {
  private static final Logger log = LoggerFactory.getLogger(Migrations.class);
  private static final Pattern COMPONENT = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
  private static final String CREATE_TABLE = "CREATE TABLE IF NOT EXISTS schema_migrations ("
      + "component TEXT NOT NULL, version INTEGER NOT NULL, applied_at BIGINT NOT NULL, "
      + "PRIMARY KEY (component, version))";
  private static final String LOCK =
      "SELECT pg_advisory_xact_lock(hashtext('archy.schema_migrations.' || coalesce(current_schema(), '')))";

  private Migrations() {}

  /**
   * Applies the component's scripts that are not applied yet.
   *
   * @return how many scripts this call applied
   * @throws StoreException when a script or the database fails (nothing of that script remains)
   */
  public static int apply(DataSource dataSource, Dialect dialect, String component, ClassLoader loader) {
    if (!COMPONENT.matcher(component).matches()) {
      throw new IllegalArgumentException("component name must be lowercase letters, digits, - or _: " + component);
    }
    int applied = 0;
    int version = 1;
    try {
      inTransaction(dataSource, dialect, c -> {
        try (Statement s = c.createStatement()) {
          s.execute(CREATE_TABLE);
        }
        return null;
      });
      for (; ; version++) {
        String script = script(loader, component, dialect, version);
        if (script == null) break;
        int v = version;
        boolean ran = inTransaction(dataSource, dialect, c -> {
          if (isApplied(c, component, v)) return false;
          try (Statement s = c.createStatement()) {
            s.executeUpdate(script);
          }
          try (PreparedStatement insert = c.prepareStatement(
              "INSERT INTO schema_migrations (component, version, applied_at) VALUES (?, ?, ?)")) {
            insert.setString(1, component);
            insert.setInt(2, v);
            insert.setLong(3, System.currentTimeMillis() / 1000);
            insert.executeUpdate();
          }
          return true;
        });
        if (ran) {
          applied++;
          log.info("applied migration {} V{}", component, v);
        }
      }
      warnIfNewer(dataSource, component, version - 1);
    } catch (SQLException e) {
      throw new StoreException("migration " + component + " V" + version + " failed", e);
    }
    return applied;
  }

  private static <T> T inTransaction(DataSource dataSource, Dialect dialect, Transaction.Work<T> work)
      throws SQLException {
    return Transaction.run(dataSource, c -> {
      if (dialect == Dialect.POSTGRESQL) {
        try (Statement s = c.createStatement()) {
          s.execute(LOCK);
        }
      }
      return work.run(c);
    });
  }


  private static boolean isApplied(Connection c, String component, int version) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT 1 FROM schema_migrations WHERE component = ? AND version = ?")) {
      ps.setString(1, component);
      ps.setInt(2, version);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** A database migrated by a newer build may not work with this one: say so, once, at start. */
  private static void warnIfNewer(DataSource dataSource, String component, int known) throws SQLException {
    try (Connection c = dataSource.getConnection();
         PreparedStatement ps = c.prepareStatement("SELECT max(version) FROM schema_migrations WHERE component = ?")) {
      ps.setString(1, component);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next() && rs.getInt(1) > known) {
          log.warn("the database has {} migration V{} but this build knows only up to V{}", component, rs.getInt(1),
              known);
        }
      }
    }
  }

  private static String script(ClassLoader loader, String component, Dialect dialect, int version) {
    String name = "db/" + component + "/" + dialect.scriptFolder() + "/V" + version + ".sql";
    try (InputStream in = loader.getResourceAsStream(name)) {
      return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new StoreException("cannot read " + name, e);
    }
  }
}
