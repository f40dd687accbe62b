package archy.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A fresh schema on the real PostgreSQL server (127.0.0.1:5432, user postgres, database test), dropped on
 * close, so test classes never see each other's rows. Without a server the test is skipped with the
 * reason printed, except under CI=true, where PostgreSQL tests are required and this fails instead.
 */
public final class PostgresSchema implements AutoCloseable {
  public static final String ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
  public final String name;

  private PostgresSchema(String name) {
    this.name = name;
  }

  public static PostgresSchema create() {
    String name = "archy_t_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    try (Connection c = DriverManager.getConnection(ADMIN_URL); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + name);
      return new PostgresSchema(name);
    } catch (SQLException e) {
      String reason = "PostgreSQL is not reachable at 127.0.0.1:5432 (user postgres, database test): " + e.getMessage();
      if ("true".equals(System.getenv("CI"))) fail(reason);
      System.out.println("Skipping PostgreSQL test: " + reason);
      assumeTrue(false, reason);
      throw new AssertionError("unreachable");
    }
  }

  /** The storage URL for {@code [storage] url} / {@code --storage}. */
  public String storageUrl() {
    return "postgresql://postgres@127.0.0.1:5432/test?currentSchema=" + name;
  }

  @Override
  public void close() throws SQLException {
    try (Connection c = DriverManager.getConnection(ADMIN_URL); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
    }
  }
}
