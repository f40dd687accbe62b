package archy.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;

/**
 * The connection pool behind the event store and the plugins' tables, opened from the operator's storage
 * setting:
 * <ul>
 *   <li>{@code sqlite}: the file {@code <dataDir>/archy.db};
 *   <li>{@code sqlite:<path>}: that file (a relative path is taken under the data dir);
 *   <li>{@code postgresql://user[:password]@host[:port]/database[?param=value&...]} (or {@code postgres://}):
 *       parameters such as {@code currentSchema} pass through to the PostgreSQL driver.
 * </ul>
 * SQLite runs in WAL mode so readers never wait for the writer, with {@code synchronous=NORMAL} (a commit
 * survives a crash of the process; the last commits may be lost on power failure), a 5 s busy timeout,
 * foreign keys on and {@code BEGIN IMMEDIATE} transactions, so a transaction takes the write lock up front
 * instead of failing when it upgrades a read lock.
 */
public final class Database implements AutoCloseable {
  private final HikariDataSource pool;
  private final Dialect dialect;
  private final String jdbcUrl;
  private final String description;

  private Database(HikariDataSource pool, Dialect dialect, String jdbcUrl, String description) {
    this.pool = pool;
    this.dialect = dialect;
    this.jdbcUrl = jdbcUrl;
    this.description = description;
  }

  public static Database open(String storage, Path dataDir) {
    String s = storage.trim();
    if (s.equals("sqlite") || s.startsWith("sqlite:")) {
      Path file = s.equals("sqlite") ? dataDir.resolve("archy.db") : dataDir.resolve(s.substring("sqlite:".length()));
      try {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      String url = "jdbc:sqlite:" + file.toAbsolutePath()
          + "?journal_mode=WAL&synchronous=NORMAL&busy_timeout=5000&foreign_keys=true&transaction_mode=IMMEDIATE";
      // Readers beside one writer: more connections than cores only adds contention on one file.
      int size = Runtime.getRuntime().availableProcessors() + 2;
      return new Database(pool(url, size, size), Dialect.SQLITE, url, "sqlite:" + file.toAbsolutePath());
    }
    if (s.startsWith("postgresql://") || s.startsWith("postgres://")) {
      String url = postgresJdbcUrl(s);
      // HikariCP's rule of thumb (2 x cores + spindles), plus one for the writer's batch connection.
      int size = 2 * Runtime.getRuntime().availableProcessors() + 2;
      return new Database(pool(url, size, 2), Dialect.POSTGRESQL, url, redact(s));
    }
    throw new IllegalArgumentException("storage must be sqlite, sqlite:<file> or postgresql://…, not " + redact(s));
  }

  public DataSource dataSource() {
    return pool;
  }

  public Dialect dialect() {
    return dialect;
  }

  /** For a dedicated connection outside the pool (PostgreSQL LISTEN). Holds the password: never log it. */
  public String jdbcUrl() {
    return jdbcUrl;
  }

  @Override
  public void close() {
    pool.close();
  }

  @Override
  public String toString() {
    return description;
  }

  private static HikariDataSource pool(String url, int maxSize, int minIdle) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setPoolName("archy-db");
    config.setMaximumPoolSize(maxSize);
    config.setMinimumIdle(minIdle);
    config.setConnectionTimeout(10_000);
    return new HikariDataSource(config);
  }

  /** {@code postgresql://user:pw@host:port/db?x=y} to {@code jdbc:postgresql://host:port/db?x=y&user=…&password=…}. */
  static String postgresJdbcUrl(String storage) {
    URI uri;
    try {
      uri = new URI(storage);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("storage URL is not a valid URL: " + redact(storage));
    }
    if (uri.getHost() == null) throw new IllegalArgumentException("storage URL needs a host: " + redact(storage));
    String database = uri.getRawPath() == null ? "" : uri.getRawPath().replaceFirst("^/", "");
    if (database.isEmpty()) throw new IllegalArgumentException("storage URL needs a database: " + redact(storage));
    StringBuilder url = new StringBuilder("jdbc:postgresql://").append(uri.getHost())
        .append(':').append(uri.getPort() < 0 ? 5432 : uri.getPort()).append('/').append(database).append('?');
    String query = uri.getRawQuery() == null ? "" : uri.getRawQuery();
    if (!query.isEmpty()) url.append(query).append('&');
    if (!query.contains("ApplicationName=")) url.append("ApplicationName=archy&");
    // Lets the driver send a batch of tag rows as one multi-row INSERT.
    if (!query.contains("reWriteBatchedInserts=")) url.append("reWriteBatchedInserts=true&");
    String userInfo = uri.getRawUserInfo();
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      String user = colon < 0 ? userInfo : userInfo.substring(0, colon);
      url.append("user=").append(encode(decode(user))).append('&');
      if (colon >= 0) url.append("password=").append(encode(decode(userInfo.substring(colon + 1)))).append('&');
    }
    url.setLength(url.length() - 1);
    return url.toString();
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** The storage setting without its password, for messages. */
  private static String redact(String storage) {
    return storage.replaceFirst("://([^:@/]*):[^@/]*@", "://$1:***@");
  }
}
