package archy.blossom;

import archy.store.Dialect;
import archy.store.StoreException;
import archy.store.Transaction;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;

/**
 * Serializes the work on one blob (naming its bytes and recording its row; removing its last row and its
 * bytes; pruning; reconciling), so an upload racing a delete of the same bytes can never end with a row
 * whose bytes were just removed. Within a process a lock striped by hash does it. On PostgreSQL, where
 * several processes share the rows and the bytes (one bucket, or one shared blob directory), the work also
 * runs inside a transaction holding a PostgreSQL advisory lock on the hash, which every process sharing the
 * database honours; the in-process lock first keeps one process's uploads of a hash from each holding a
 * connection while they wait. The work itself reads and writes rows on other pooled connections, so at most
 * {@link #HELD_CONNECTIONS} sections of a process hold a lock connection at once: the pool (6 connections on 2
 * cores) is never all held by waiters. SQLite has one process per database file.
 */
final class HashLocks {
  /** The two-key advisory lock space is apart from the one-key space event ids use (SaveTransaction). */
  private static final int BLOB_LOCK_CLASS = 0x626c6f62; // "blob"
  private static final int STRIPES = 64;
  private static final int HELD_CONNECTIONS = 2;

  @FunctionalInterface
  interface Work<T> {
    T run() throws IOException;
  }

  private final DataSource db;
  private final Dialect dialect;
  private final ReentrantLock[] locks = new ReentrantLock[STRIPES];
  private final Semaphore connections = new Semaphore(HELD_CONNECTIONS, true);

  HashLocks(DataSource db, Dialect dialect) {
    this.db = db;
    this.dialect = dialect;
    for (int i = 0; i < STRIPES; i++) locks[i] = new ReentrantLock();
  }

  <T> T with(String sha256, Work<T> work) throws IOException {
    ReentrantLock lock = locks[Integer.parseInt(sha256.substring(0, 2), 16) % STRIPES];
    lock.lock();
    try {
      if (dialect != Dialect.POSTGRESQL) return work.run();
      return acrossProcesses(sha256, work);
    } finally {
      lock.unlock();
    }
  }

  private <T> T acrossProcesses(String sha256, Work<T> work) throws IOException {
    try {
      connections.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for blob " + sha256);
    }
    try {
      return Transaction.run(db, c -> {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?, ?)")) {
          ps.setInt(1, BLOB_LOCK_CLASS);
          ps.setInt(2, (int) Long.parseLong(sha256.substring(0, 8), 16));
          ps.executeQuery().close();
        }
        try {
          return work.run(); // the lock is released when this transaction ends
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    } catch (SQLException e) {
      throw new StoreException("locking blob " + sha256 + " failed", e);
    } finally {
      connections.release();
    }
  }
}
