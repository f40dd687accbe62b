package archy.paidblobs;

import static archy.paidblobs.PaidGetTest.header;
import static org.junit.jupiter.api.Assertions.assertEquals;

import archy.testing.PostgresSchema;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The session table becomes unusable (renamed away from another connection, so every statement on it fails, as
 * with a database that is down) while a long paid download is in flight: the response still completes, and its
 * debit waits in memory (and, should the node stop meanwhile, in a file under its data dir) and reaches the
 * database once the table is back. SQLite and PostgreSQL.
 */
class DebitOutageTest {
  private static final int SIZE = 10_000_000;

  @TempDir Path dir;

  @ParameterizedTest(name = "{0}, restarted during the outage: {1}")
  @CsvSource({"sqlite, false", "postgresql, false", "sqlite, true", "postgresql, true"})
  void aDownloadEndingWhileTheDatabaseIsDownCompletesAndIsDebitedLater(String storage, boolean restart)
      throws Exception {
    PostgresSchema schema = storage.equals("postgresql") ? PostgresSchema.create() : null;
    String url = schema == null ? "sqlite" : schema.storageUrl();
    String jdbc = schema == null ? "jdbc:sqlite:" + dir.resolve("node/archy.db") : PostgresSchema.ADMIN_URL;
    String table = schema == null ? "ecash_gate_sessions" : schema.name + ".ecash_gate_sessions";
    try (PaidNode n = PaidNode.start(dir, "", "session_refresh_seconds = 1", url)) {
      PaidNode.Film film = n.film("outage", 1L, SIZE);
      String path = "/" + film.sha256(1);
      String session = header(n.blossom.get(path, "Range", "bytes=0-0"), "X-Archy-Session");
      HttpResponse<byte[]> paid = n.blossom.get(path, "Range", "bytes=0-0", "X-Archy-Session", session,
          "X-Cashu", n.mint.token(25).encode());
      assertEquals(206, paid.statusCode(), header(paid, "X-Reason"));
      PaidGetMeteringTest.settledBalance(session, film);
      awaitDebited(jdbc, table, session, 1);

      try (RawGet get = RawGet.send(n.url(), path, "X-Archy-Session", session)) {
        assertEquals(200, get.head().status, get.header("X-Reason"));
        get.read(1_000_000);
        try (Connection c = DriverManager.getConnection(jdbc); Statement s = c.createStatement()) {
          s.execute("ALTER TABLE " + table + " RENAME TO ecash_gate_sessions_away");
        }
        Thread.sleep(2_500); // the cached balance is now older than session_refresh_seconds: a re-read would fail
        get.read(Long.MAX_VALUE);
        assertEquals(SIZE, get.received, "the whole body arrived");
        assertEquals(0, get.read(1), "and the response ended: the server closed the connection");
      }
      Thread.sleep(500); // flushes fail meanwhile and keep the debit
      if (restart) n.restart(); // the debit outlives the process in the data dir's file of unwritten debits
      try (Connection c = DriverManager.getConnection(jdbc); Statement s = c.createStatement()) {
        String away = schema == null ? "ecash_gate_sessions_away" : schema.name + ".ecash_gate_sessions_away";
        s.execute("ALTER TABLE " + away + " RENAME TO ecash_gate_sessions");
      }
      awaitDebited(jdbc, table, session, 1L + SIZE);
    } finally {
      if (schema != null) schema.close();
    }
  }

  /** Polls the stored row until its debited total is {@code expected}. */
  private static void awaitDebited(String jdbc, String table, String session, long expected) throws Exception {
    long deadline = System.currentTimeMillis() + 30_000;
    long debited = -1;
    while (System.currentTimeMillis() < deadline) {
      try (Connection c = DriverManager.getConnection(jdbc);
           PreparedStatement q = c.prepareStatement("SELECT debited FROM " + table + " WHERE id = ?")) {
        q.setString(1, session);
        try (ResultSet rs = q.executeQuery()) {
          debited = rs.next() ? rs.getLong(1) : -1;
        }
      }
      if (debited == expected) return;
      Thread.sleep(50);
    }
    assertEquals(expected, debited, "debited bytes stored for the session");
  }
}
