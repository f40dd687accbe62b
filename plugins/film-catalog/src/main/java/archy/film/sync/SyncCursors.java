package archy.film.sync;

import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.Executor;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per upstream relay: everything created before {@code since} has been fetched, so a reconnect after
 * downtime asks only for newer events (less a slack for clock differences). Writes go through the index
 * worker, the plugin's one writer.
 */
public final class SyncCursors {
  private static final Logger log = LoggerFactory.getLogger(SyncCursors.class);

  private final DataSource dataSource;
  private final Executor writes;

  public SyncCursors(DataSource dataSource, Executor writes) {
    this.dataSource = dataSource;
    this.writes = writes;
  }

  /** The saved cursor, or null when this upstream was never caught up. */
  public Long load(URI upstream) {
    try (Connection c = dataSource.getConnection();
         PreparedStatement ps = c.prepareStatement("SELECT since FROM film_catalog_upstreams WHERE url = ?")) {
      ps.setString(1, upstream.toString());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : null;
      }
    } catch (SQLException e) {
      log.warn("cannot read the sync cursor of {}", upstream, e);
      return null;
    }
  }

  /** Moves the cursor forward (never back). */
  public void save(URI upstream, long since) {
    writes.execute(() -> {
      try (Connection c = dataSource.getConnection();
           PreparedStatement ps = c.prepareStatement("INSERT INTO film_catalog_upstreams (url, since) VALUES (?, ?) "
               + "ON CONFLICT (url) DO UPDATE SET since = excluded.since "
               + "WHERE excluded.since > film_catalog_upstreams.since")) {
        ps.setString(1, upstream.toString());
        ps.setLong(2, since);
        ps.executeUpdate();
      } catch (SQLException e) {
        log.warn("cannot save the sync cursor of {}", upstream, e);
      }
    });
  }
}
