package archy.store;

import archy.nostr.Event;
import archy.nostr.Filter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.postgresql.PGStatement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event store on SQLite or PostgreSQL: group-committed writes ({@link EventWriter}, rules in
 * {@link SaveTransaction}), one indexed statement per filter ({@link QueryBuilder}) streamed from a pooled
 * connection, and on PostgreSQL live events from other processes ({@link PgNotifier}).
 *
 * <p>Futures returned by {@link #save} complete on the store's completion thread in commit order; code
 * chained on them with the non-async {@code then…} methods must be quick (or hop to another executor).
 * {@link #close} leaves the {@link Database} open: plugins share its pool.
 */
public final class JdbcEventStore implements EventStore {
  private static final Logger log = LoggerFactory.getLogger(JdbcEventStore.class);
  /** Rows per round trip when PostgreSQL streams a result through a cursor. */
  private static final int FETCH_SIZE = 250;
  private static final int PURGE_CHUNK = 1_000;

  private final DataSource dataSource;
  private final Dialect dialect;
  private final EventWriter writer;
  private final PgNotifier notifier;
  private final List<Consumer<Event>> remoteListeners = new CopyOnWriteArrayList<>();

  private JdbcEventStore(Database database, Clock clock) throws SQLException {
    this.dataSource = database.dataSource();
    this.dialect = database.dialect();
    this.notifier = dialect == Dialect.POSTGRESQL
        ? PgNotifier.start(dataSource, database.jdbcUrl(), this::deliverRemote) : null;
    this.writer = new EventWriter(dataSource, dialect, clock, notifier);
  }

  /** Migrates the events tables, then starts the writer (and on PostgreSQL the listener). */
  public static JdbcEventStore open(Database database) {
    return open(database, Clock.systemUTC());
  }

  /** As {@link #open(Database)}; {@code clock} decides which NIP-40 expirations have passed at write time. */
  public static JdbcEventStore open(Database database, Clock clock) {
    Migrations.apply(database.dataSource(), database.dialect(), "events", JdbcEventStore.class.getClassLoader());
    try {
      return new JdbcEventStore(database, clock);
    } catch (SQLException e) {
      throw new StoreException("cannot start the event store", e);
    }
  }

  @Override
  public CompletableFuture<SaveResult> save(Event event) {
    return writer.submit(event);
  }

  @Override
  public void query(Filter filter, int limit, long now, Predicate<StoredEvent> sink) {
    if (limit <= 0) return;
    // The JSON as the driver's bytes (UTF-8 from SQLite and from PostgreSQL's text protocol): a REQ copies
    // them into the frame, so decoding a String here would only be encoded again.
    stream(QueryBuilder.select(filter, limit, now), rs -> new StoredEvent(rs.getString(1), rs.getString(2),
        rs.getInt(3), rs.getLong(4), rs.getBytes(5)), sink);
  }

  @Override
  public void records(Filter filter, int limit, long now, Predicate<EventRecord> sink) {
    if (limit <= 0) return;
    stream(QueryBuilder.selectRecords(filter, limit, now), rs -> new EventRecord(rs.getString(1), rs.getString(2),
        rs.getInt(3), rs.getLong(4)), sink);
  }

  private interface RowReader<T> {
    T read(ResultSet rs) throws SQLException;
  }

  private <T> void stream(QueryBuilder.Sql sql, RowReader<T> reader, Predicate<T> sink) {
    if (sql == null) return;
    try (Connection c = dataSource.getConnection()) {
      // PostgreSQL streams only inside a transaction with a fetch size; otherwise it reads every row first.
      boolean cursor = dialect == Dialect.POSTGRESQL;
      if (cursor) c.setAutoCommit(false);
      try (PreparedStatement ps = prepare(c, sql)) {
        if (cursor) ps.setFetchSize(FETCH_SIZE);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            if (!sink.test(reader.read(rs))) break;
          }
        }
      } finally {
        if (cursor) c.rollback();
      }
    } catch (SQLException e) {
      throw new StoreException("query failed", e);
    }
  }

  @Override
  public long count(List<Filter> filters, long now) {
    QueryBuilder.Sql sql = QueryBuilder.count(filters, now);
    if (sql == null) return 0;
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = prepare(c, sql)) {
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new StoreException("count failed", e);
    }
  }

  /**
   * On PostgreSQL every execution is planned with its actual values: after five runs the driver would
   * switch to a server-side statement whose generic plan, blind to how selective a value is, can be a
   * thousand times slower (measured: 1.5 s instead of 2 ms for a two-value tag filter).
   */
  private PreparedStatement prepare(Connection c, QueryBuilder.Sql sql) throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql.text());
    try {
      if (dialect == Dialect.POSTGRESQL) ps.unwrap(PGStatement.class).setPrepareThreshold(0);
      sql.bind(ps);
      return ps;
    } catch (SQLException | RuntimeException e) {
      ps.close();
      throw e;
    }
  }

  @Override
  public boolean delete(String id) {
    try (Connection c = dataSource.getConnection();
         PreparedStatement ps = c.prepareStatement("DELETE FROM events WHERE id = ?")) {
      ps.setString(1, id);
      return ps.executeUpdate() > 0;
    } catch (SQLException e) {
      throw new StoreException("deleting an event failed", e);
    }
  }

  /** Deletes in chunks, so the SQLite write lock is never held long against the writer. */
  @Override
  public int purgeExpired(long now) {
    int total = 0;
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
        "DELETE FROM events WHERE seq IN (SELECT seq FROM events WHERE expires_at <= ? LIMIT " + PURGE_CHUNK + ")")) {
      int n;
      do {
        ps.setLong(1, now);
        n = ps.executeUpdate();
        total += n;
      } while (n == PURGE_CHUNK);
    } catch (SQLException e) {
      throw new StoreException("purging expired events failed", e);
    }
    if (total > 0) log.debug("purged {} expired events", total);
    return total;
  }

  /** Counts by a full pass over the table: call it now and then (metrics), not per request. */
  @Override
  public StoreStats stats() {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT count(*), coalesce(sum(octet_length(json)), 0) FROM events")) {
      rs.next();
      return new StoreStats(rs.getLong(1), rs.getLong(2));
    } catch (SQLException e) {
      throw new StoreException("reading store statistics failed", e);
    }
  }

  @Override
  public void onRemoteEvent(Consumer<Event> listener) {
    remoteListeners.add(listener);
  }

  /** Write transactions committed so far (each holds up to {@value EventWriter#MAX_BATCH} events). */
  long commits() {
    return writer.commits();
  }

  /** The LISTEN connection's application name (PostgreSQL), or null. */
  String listenerName() {
    return notifier == null ? null : notifier.applicationName();
  }

  private void deliverRemote(Event event) {
    for (Consumer<Event> listener : remoteListeners) listener.accept(event);
  }

  @Override
  public void close() {
    writer.close();
    if (notifier != null) notifier.close();
  }
}
