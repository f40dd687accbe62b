package archy.ecash.wallet;

import archy.ecash.Db;
import archy.ecash.mint.MintException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leases on wallet operations and transfers ({@code ecash_gate_leases}): whoever works on one holds its lease, so
 * recovery (in this process or another on the same database) takes over only an operation whose worker died, and
 * two processes resuming the same one never both do. A lease lasts {@link #TTL} and is renewed while held (a melt
 * may block for minutes), so it lapses only when its process stops. Nested holds of one id by one thread share
 * the lease.
 */
final class Leases {
  /** 60 s; the system property {@code archy.wallet.leaseSeconds} shortens it (crash tests, to resume sooner). */
  static final Duration TTL = Duration.ofSeconds(Long.getLong("archy.wallet.leaseSeconds", 60));
  private static final Logger log = LoggerFactory.getLogger(Leases.class);

  /** Work done under a lease. */
  @FunctionalInterface
  interface Work<T> {
    T run() throws MintException, WalletException, SQLException;
  }

  private final Db db;
  private final Clock clock;
  private final String owner = UUID.randomUUID().toString();
  private final Set<String> held = ConcurrentHashMap.newKeySet();
  private final ThreadLocal<Set<String>> heldHere = ThreadLocal.withInitial(HashSet::new);
  private final Object renewerLock = new Object();
  private Thread renewer;

  Leases(Db db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /**
   * Runs {@code work} holding the lease on {@code id}.
   *
   * @throws OperationBusyException when another thread or process holds it
   */
  <T> T hold(String id, Work<T> work) throws MintException, WalletException, SQLException {
    if (heldHere.get().contains(id)) return work.run();
    if (!held.add(id)) throw new OperationBusyException();
    try {
      if (!acquire(id)) throw new OperationBusyException();
      startRenewer();
      heldHere.get().add(id);
      try {
        return work.run();
      } finally {
        heldHere.get().remove(id);
        db.tx(c -> Db.update(c, "DELETE FROM ecash_gate_leases WHERE id = ? AND owner = ?", id, owner));
      }
    } finally {
      held.remove(id);
    }
  }

  private boolean acquire(String id) throws SQLException {
    long now = clock.millis();
    return db.tx(c -> Db.update(c, "INSERT INTO ecash_gate_leases (id, owner, until) VALUES (?, ?, ?) "
        + "ON CONFLICT (id) DO UPDATE SET owner = excluded.owner, until = excluded.until "
        + "WHERE ecash_gate_leases.until < ? OR ecash_gate_leases.owner = excluded.owner",
        id, owner, now + TTL.toMillis(), now)) == 1;
  }

  private void startRenewer() {
    synchronized (renewerLock) {
      if (renewer != null) return;
      renewer = Thread.ofVirtual().name("ecash-wallet-leases").start(this::renewForever);
    }
  }

  private void renewForever() {
    while (true) {
      try {
        Thread.sleep(TTL.dividedBy(3));
      } catch (InterruptedException e) {
        return;
      }
      for (String id : held) {
        try {
          db.tx(c -> Db.update(c, "UPDATE ecash_gate_leases SET until = ? WHERE id = ? AND owner = ?",
              clock.millis() + TTL.toMillis(), id, owner));
        } catch (SQLException e) {
          log.warn("wallet: renewing an operation's lease failed, will retry: {}", e.getMessage());
        }
      }
    }
  }
}
