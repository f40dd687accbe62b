package archy.store;

import java.sql.SQLException;

/** The two SQL back ends. Most SQL is shared; the few differences are spelled out where they occur. */
public enum Dialect {
  SQLITE("sqlite"),
  POSTGRESQL("postgresql");

  private final String scriptFolder;

  Dialect(String scriptFolder) {
    this.scriptFolder = scriptFolder;
  }

  /** The folder under {@code db/<component>/} that holds this dialect's migration scripts. */
  public String scriptFolder() {
    return scriptFolder;
  }

  /**
   * Whether running the same work again may succeed: on PostgreSQL a unique violation (another process
   * stored the same id or address first), a serialization failure or a deadlock; on SQLite a busy or
   * locked database.
   */
  boolean isTransient(SQLException e) {
    return switch (this) {
      case POSTGRESQL -> {
        String state = e.getSQLState();
        yield "23505".equals(state) || "40001".equals(state) || "40P01".equals(state);
      }
      case SQLITE -> {
        int primary = e.getErrorCode() & 0xff;
        yield primary == 5 || primary == 6; // SQLITE_BUSY, SQLITE_LOCKED
      }
    };
  }
}
