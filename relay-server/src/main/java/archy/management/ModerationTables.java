package archy.management;

import archy.store.Database;
import archy.store.Migrations;
import archy.store.StoreException;
import archy.store.Transaction;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.sql.DataSource;

/**
 * The management tables ({@code db/management}): every change is one transaction that also bumps
 * {@code management_version}, so a process that sees the version move reloads a state that includes the change.
 */
final class ModerationTables {
  enum Status {
    BANNED("banned"), ALLOWED("allowed"), DISALLOWED("disallowed");

    final String sql;

    Status(String sql) {
      this.sql = sql;
    }
  }

  private final DataSource dataSource;
  private final Clock clock;

  ModerationTables(Database database, Clock clock) {
    Migrations.apply(database.dataSource(), database.dialect(), "management", ModerationTables.class.getClassLoader());
    this.dataSource = database.dataSource();
    this.clock = clock;
  }

  long version() {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT version FROM management_version WHERE id = 1")) {
      return rs.next() ? rs.getLong(1) : 0;
    } catch (SQLException e) {
      throw new StoreException("reading the management version failed", e);
    }
  }

  /** Everything, read in one transaction (with its version) so the lists agree with each other. */
  Moderation load() {
    try {
      return Transaction.run(dataSource, c -> {
        long version;
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version FROM management_version WHERE id = 1")) {
          version = rs.next() ? rs.getLong(1) : 0;
        }
        return new Moderation(
            reasons(c, "SELECT pubkey, reason FROM management_pubkeys WHERE status = 'banned'"),
            reasons(c, "SELECT pubkey, reason FROM management_pubkeys WHERE status = 'allowed'"),
            reasons(c, "SELECT id, reason FROM management_events WHERE status = 'banned'"),
            reasons(c, "SELECT id, reason FROM management_events WHERE status = 'allowed'"),
            kinds(c, "allowed"),
            kinds(c, "disallowed"),
            reasons(c, "SELECT ip, reason FROM management_blocked_ips"),
            reasons(c, "SELECT name, value FROM management_settings"),
            version);
      });
    } catch (SQLException e) {
      throw new StoreException("reading the management lists failed", e);
    }
  }

  /** Puts the pubkey on one list (taking it off the other). */
  void pubkey(String pubkey, Status status, String reason) {
    upsert("INSERT INTO management_pubkeys (pubkey, status, reason, updated) VALUES (?, ?, ?, ?)"
        + " ON CONFLICT (pubkey) DO UPDATE SET status = excluded.status, reason = excluded.reason,"
        + " updated = excluded.updated", pubkey, status, reason);
  }

  /** Takes the pubkey off that list only. */
  void removePubkey(String pubkey, Status status) {
    change("DELETE FROM management_pubkeys WHERE pubkey = ? AND status = ?", pubkey, status.sql);
  }

  void event(String id, Status status, String reason) {
    upsert("INSERT INTO management_events (id, status, reason, updated) VALUES (?, ?, ?, ?)"
        + " ON CONFLICT (id) DO UPDATE SET status = excluded.status, reason = excluded.reason,"
        + " updated = excluded.updated", id, status, reason);
  }

  void removeEvent(String id, Status status) {
    change("DELETE FROM management_events WHERE id = ? AND status = ?", id, status.sql);
  }

  void kind(int kind, Status status) {
    change("INSERT INTO management_kinds (kind, status, updated) VALUES (?, ?, ?)"
        + " ON CONFLICT (kind) DO UPDATE SET status = excluded.status, updated = excluded.updated",
        kind, status.sql, now());
  }

  void blockIp(String ip, String reason) {
    change("INSERT INTO management_blocked_ips (ip, reason, updated) VALUES (?, ?, ?)"
        + " ON CONFLICT (ip) DO UPDATE SET reason = excluded.reason, updated = excluded.updated", ip, reason, now());
  }

  void unblockIp(String ip) {
    change("DELETE FROM management_blocked_ips WHERE ip = ?", ip);
  }

  void setting(String name, String value) {
    change("INSERT INTO management_settings (name, value) VALUES (?, ?)"
        + " ON CONFLICT (name) DO UPDATE SET value = excluded.value", name, value);
  }

  private void upsert(String sql, String key, Status status, String reason) {
    change(sql, key, status.sql, reason, now());
  }

  private long now() {
    return clock.instant().getEpochSecond();
  }

  /** One statement and the version bump, in one transaction. */
  private void change(String sql, Object... args) {
    try {
      Transaction.run(dataSource, c -> {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
          for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
          ps.executeUpdate();
        }
        try (Statement s = c.createStatement()) {
          s.executeUpdate("UPDATE management_version SET version = version + 1 WHERE id = 1");
        }
        return null;
      });
    } catch (SQLException e) {
      throw new StoreException("changing the management lists failed", e);
    }
  }

  private static Map<String, String> reasons(Connection c, String sql) throws SQLException {
    Map<String, String> out = new TreeMap<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) out.put(rs.getString(1), rs.getString(2));
    }
    return Collections.unmodifiableMap(out);
  }

  private static Set<Integer> kinds(Connection c, String status) throws SQLException {
    Set<Integer> out = new TreeSet<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT kind FROM management_kinds WHERE status = ?")) {
      ps.setString(1, status);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) out.add(rs.getInt(1));
      }
    }
    return Collections.unmodifiableSet(out);
  }
}
