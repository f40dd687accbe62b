package archy.ecash;

import archy.store.Dialect;
import archy.store.Transaction;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The node database as ecash-gate uses it: short transactions (never open across a mint call), retried when the
 * database says "try again" (SQLite busy, PostgreSQL serialization failure or deadlock), and a few statement
 * shortcuts. Inserts that may collide use {@code ON CONFLICT DO NOTHING} and read the count, because on
 * PostgreSQL a failed statement poisons the rest of its transaction.
 */
public final class Db {
  private static final int ATTEMPTS = 5;

  /** Work inside one transaction. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /** Maps the current row. */
  @FunctionalInterface
  public interface Row<T> {
    T map(ResultSet rs) throws SQLException;
  }

  private final DataSource dataSource;
  private final Dialect dialect;

  public Db(DataSource dataSource, Dialect dialect) {
    this.dataSource = dataSource;
    this.dialect = dialect;
  }

  public Dialect dialect() {
    return dialect;
  }

  public <T> T tx(Work<T> work) throws SQLException {
    for (int attempt = 1; ; attempt++) {
      try {
        return Transaction.run(dataSource, work::run);
      } catch (SQLException e) {
        if (attempt >= ATTEMPTS || !retryable(e)) throw e;
        try {
          Thread.sleep(5L * attempt);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  public static int update(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = prepare(c, sql, args)) {
      return ps.executeUpdate();
    }
  }

  public static <T> List<T> query(Connection c, String sql, Row<T> row, Object... args) throws SQLException {
    try (PreparedStatement ps = prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
      List<T> out = new ArrayList<>();
      while (rs.next()) out.add(row.map(rs));
      return out;
    }
  }

  public static <T> Optional<T> one(Connection c, String sql, Row<T> row, Object... args) throws SQLException {
    try (PreparedStatement ps = prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
      return rs.next() ? Optional.ofNullable(row.map(rs)) : Optional.empty();
    }
  }

  /** A single {@code long} (a sum or count); 0 when the query returns no row or NULL. */
  public static long scalar(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  private static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    try {
      for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
      return ps;
    } catch (SQLException e) {
      ps.close();
      throw e;
    }
  }

  private boolean retryable(SQLException e) {
    return switch (dialect) {
      case POSTGRESQL -> "40001".equals(e.getSQLState()) || "40P01".equals(e.getSQLState());
      case SQLITE -> {
        int primary = e.getErrorCode() & 0xff;
        yield primary == 5 || primary == 6; // SQLITE_BUSY, SQLITE_LOCKED
      }
    };
  }
}
