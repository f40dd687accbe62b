package archy.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {
  @TempDir
  Path dataDir;

  @Test
  void postgresUrlsBecomeJdbcUrlsWithCredentialsAsParameters() {
    assertEquals("jdbc:postgresql://127.0.0.1:5432/test?currentSchema=x&ApplicationName=archy"
            + "&reWriteBatchedInserts=true&user=postgres",
        Database.postgresJdbcUrl("postgresql://postgres@127.0.0.1:5432/test?currentSchema=x"));
    assertEquals("jdbc:postgresql://db.example:5432/relay?ApplicationName=archy&reWriteBatchedInserts=true"
            + "&user=relay+user&password=p%40ss%3Aw+rd",
        Database.postgresJdbcUrl("postgres://relay%20user:p%40ss:w%20rd@db.example/relay"));
    assertEquals("jdbc:postgresql://[::1]:6543/db?ApplicationName=me&reWriteBatchedInserts=true",
        Database.postgresJdbcUrl("postgresql://[::1]:6543/db?ApplicationName=me"));
    assertThrows(IllegalArgumentException.class, () -> Database.postgresJdbcUrl("postgresql://host:5432/"));
  }

  @Test
  void unknownStorageIsRefusedWithoutEchoingThePassword() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> Database.open("mysql://root:secret@host/db", dataDir));
    assertFalse(e.getMessage().contains("secret"), e.getMessage());
  }

  @Test
  void sqliteOpensAFileInTheDataDirInWalMode() throws Exception {
    try (Database db = Database.open("sqlite", dataDir)) {
      assertEquals(Dialect.SQLITE, db.dialect());
      try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
           ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
        rs.next();
        assertEquals("wal", rs.getString(1));
      }
    }
    assertTrue(Files.exists(dataDir.resolve("archy.db")));
    try (Database db = Database.open("sqlite:sub/other.db", dataDir)) {
      db.dataSource().getConnection().close();
    }
    assertTrue(Files.exists(dataDir.resolve("sub/other.db")));
  }
}
