package archy.ecash.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.ecash.Db;
import archy.ecash.TestDb;
import archy.ecash.ledger.Ledger;
import archy.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Session balances without a mint: credits, batched debits, restarts, and a second process's view. */
class SessionsTest {
  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.now());
  private final Sessions.Key key = new Sessions.Key("s", "content-download", "film");

  @Test
  void debitsAreFlushedWithLedgerRowsAndSurviveRestarts() throws Exception {
    try (TestDb store = TestDb.sqlite(dir)) {
      Ledger ledger = new Ledger(clock);
      Sessions sessions = new Sessions(store.db, ledger, clock, Duration.ofSeconds(5));
      store.db.tx(c -> {
        sessions.credit(c, key, 1000);
        return null;
      });
      sessions.reload(key);
      assertEquals(700, sessions.debit(key, 300));
      assertEquals(650, sessions.debit(key, 50));
      Sessions restartedBeforeFlush = new Sessions(store.db, ledger, clock, Duration.ofSeconds(5));
      assertEquals(1000, restartedBeforeFlush.balance(key), "unflushed debits are lost in a crash: the client gains");
      sessions.flush();
      assertEquals(650, new Sessions(store.db, ledger, clock, Duration.ofSeconds(5)).balance(key));
      assertEquals(350, store.db.tx(c -> ledger.totals(c, null)).bytesDebited(), "one row per session per flush");
      sessions.flush(); // nothing new
      assertEquals(350, store.db.tx(c -> ledger.totals(c, null)).bytesDebited());
    }
  }

  @Test
  void aSecondProcessSeesDebitsAfterTheRefreshInterval() throws Exception {
    try (TestDb store = TestDb.sqlite(dir); TestDb other = store.another()) {
      Ledger ledger = new Ledger(clock);
      Sessions a = new Sessions(store.db, ledger, clock, Duration.ofSeconds(5));
      Sessions b = new Sessions(other.db, ledger, clock, Duration.ofSeconds(5));
      store.db.tx(c -> {
        a.credit(c, key, 1000);
        return null;
      });
      assertEquals(1000, b.balance(key));
      a.debit(key, 400);
      a.flush();
      assertEquals(1000, b.balance(key), "cached");
      b.debit(key, 100);
      clock.advance(Duration.ofSeconds(6));
      assertEquals(500, b.balance(key), "re-read: 1000 − 400 (a, flushed) − 100 (b, not yet flushed)");
      b.flush();
      clock.advance(Duration.ofSeconds(6));
      assertEquals(500, a.balance(key));
      assertEquals(0, a.balance(new Sessions.Key("s", "content-download", "another film")));
    }
  }

  @Test
  void debitsTheDatabaseWillNotTakeOutliveTheProcessInTheSpillFile() throws Exception {
    try (TestDb store = TestDb.sqlite(dir)) {
      Ledger ledger = new Ledger(clock);
      Path file = dir.resolve("unwritten-debits.tsv");
      Sessions.Key odd = new Sessions.Key("t", "content-download", "30082:ab:a film\twith a tab");
      Sessions sessions = new Sessions(store.db, ledger, clock, Duration.ofSeconds(5));
      sessions.spillTo(new DebitSpill(file));
      store.db.tx(c -> {
        sessions.credit(c, key, 1000);
        sessions.credit(c, odd, 1000);
        return null;
      });
      sessions.reload(key);
      sessions.debit(key, 300);
      sessions.debit(odd, 10);
      store.db.tx(c -> Db.update(c, "ALTER TABLE ecash_gate_sessions RENAME TO ecash_gate_sessions_away"));
      assertThrows(SQLException.class, sessions::flush, "the database will not take them");
      assertTrue(Files.exists(file));
      // The process stops here, before any flush succeeds; the database comes back.
      store.db.tx(c -> Db.update(c, "ALTER TABLE ecash_gate_sessions_away RENAME TO ecash_gate_sessions"));

      Sessions restarted = new Sessions(store.db, ledger, clock, Duration.ofSeconds(5));
      restarted.spillTo(new DebitSpill(file));
      assertEquals(700, restarted.balance(key), "applied at start, before serving");
      restarted.flush();
      assertFalse(Files.exists(file), "written: the file goes");
      Sessions again = new Sessions(store.db, ledger, clock, Duration.ofSeconds(5));
      again.spillTo(new DebitSpill(file));
      assertEquals(700, again.balance(key), "applied once");
      assertEquals(990, again.balance(odd));
      assertEquals(310, store.db.tx(c -> ledger.totals(c, null)).bytesDebited());
    }
  }
}
