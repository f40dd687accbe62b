package archy.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import archy.nostr.Event;
import java.io.InputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract on a real SQLite file, fresh for every test. */
class SqliteEventStoreTest extends EventStoreContract {
  @TempDir
  Path dataDir;
  @TempDir
  Path upgradeDir;

  @Override
  protected Database openDatabase() {
    return Database.open("sqlite", dataDir);
  }

  /** A database written before V2 (tag rows without their author) answers author × tag filters once upgraded. */
  @Test
  void tagRowsWrittenBeforeV2GetTheirAuthor() throws Exception {
    ClassLoader v1Only = new ClassLoader(getClass().getClassLoader()) {
      @Override
      public InputStream getResourceAsStream(String name) {
        return name.matches("db/events/.*/V[2-9]\\d*\\.sql") ? null : super.getResourceAsStream(name);
      }
    };
    Event e = event(ALICE, T, 1, List.of(List.of("t", "old")), "written by V1");
    try (Database old = Database.open("sqlite", upgradeDir)) {
      assertEquals(1, Migrations.apply(old.dataSource(), old.dialect(), "events", v1Only));
      try (Connection c = old.dataSource().getConnection()) {
        try (PreparedStatement ps = c.prepareStatement(
            "INSERT INTO events (seq, id, pubkey, kind, created_at, json) VALUES (1, ?, ?, 1, ?, ?)")) {
          ps.setString(1, e.id());
          ps.setString(2, e.pubkey());
          ps.setLong(3, e.createdAt());
          ps.setString(4, e.json());
          ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(
            "INSERT INTO tags (event_seq, name, value, kind, created_at) VALUES (1, 't', 'old', 1, ?)")) {
          ps.setLong(1, e.createdAt());
          ps.executeUpdate();
        }
        if (!c.getAutoCommit()) c.commit();
      }
      try (JdbcEventStore upgraded = JdbcEventStore.open(old)) {
        List<String> found = new ArrayList<>();
        upgraded.query(filter().authors(ALICE).tag("t", "old").build(), 10, T, row -> found.add(row.id()));
        assertEquals(List.of(e.id()), found);
        found.clear();
        upgraded.query(filter().authors(BOB).tag("t", "old").build(), 10, T, row -> found.add(row.id()));
        assertEquals(List.of(), found);
      }
    }
  }
}
