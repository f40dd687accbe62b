package archy.ecash.gate;

import archy.ecash.Db;
import archy.ecash.ledger.Ledger;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Session balances in bytes, per (session, service, scope), kept in {@code ecash_gate_sessions} and cached in
 * memory so the paid hot path ({@link #balance}, {@link #debit}) does no I/O.
 *
 * <p>Credits are written to the database at once, in the transaction that records the payment. Debits are
 * applied to the cached balance and flushed in batches ({@link #flush}, on the scheduler and at close) as
 * relative updates with their ledger rows; a crash loses at most one flush interval of debits, which favours the
 * client, never the node. A cached balance is re-read after {@code refresh} so processes sharing one PostgreSQL
 * database see each other's debits within that time (plus one flush interval).
 *
 * <p>A response {@link #reserve reserves} its bytes before it is sent and {@link Held#settle settles} when it ends:
 * the bytes handed out are debited and the rest released. Reservations live in memory only and count against what
 * the session may spend ({@link #available}), so GETs in flight together can never spend more than the session
 * holds; settling does no I/O, so the end of a download cannot fail on a database that is down, and its debit
 * waits in memory, retried at every flush, until the database is back.
 *
 * <p>Invariant per entry, under its monitor: {@code balance = database balance − unflushed}, and
 * {@code available = balance − reserved}. The {@code io} lock orders database reads against flushes, so a re-read
 * never counts a flushed debit twice. An entry with a reservation or unflushed debits is never evicted.
 */
final class Sessions {
  record Key(String session, String service, String scope) {}

  static final class Entry {
    final Key key;
    final ReentrantLock io = new ReentrantLock();
    private long balance;
    private long unflushed;
    private long reserved;
    private boolean dirty;
    private boolean evicted;
    private volatile long loadedAt;
    private volatile long usedAt;

    Entry(Key key) {
      this.key = key;
    }

    synchronized long balance() {
      return balance;
    }
  }

  /** Bytes set aside in one entry for one response; settled once. */
  private final class Held implements Reservation {
    private final Entry entry;
    private final long bytes;
    private final AtomicBoolean settled = new AtomicBoolean();

    Held(Entry entry, long bytes) {
      this.entry = entry;
      this.bytes = bytes;
    }

    @Override
    public long bytes() {
      return bytes;
    }

    @Override
    public void settle(long used) {
      if (used < 0) throw new IllegalArgumentException("used must not be negative");
      if (!settled.compareAndSet(false, true)) return;
      synchronized (entry) {
        entry.reserved -= bytes;
      }
      take(entry, used);
    }
  }

  private static final Logger log = LoggerFactory.getLogger(Sessions.class);
  private static final Duration IDLE_EVICTION = Duration.ofMinutes(10);

  private final Db db;
  private final Ledger ledger;
  private final Clock clock;
  private final long refreshMillis;
  private final ConcurrentHashMap<Key, Entry> cache = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Entry> dirty = new ConcurrentLinkedQueue<>();
  private volatile DebitSpill spill;
  private volatile boolean spilled;

  Sessions(Db db, Ledger ledger, Clock clock, Duration refresh) {
    this.db = db;
    this.ledger = ledger;
    this.clock = clock;
    this.refreshMillis = refresh.toMillis();
  }

  /** Sessions this process used in the last {@link #IDLE_EVICTION} that still hold paid bytes (a gauge). */
  long open() {
    return cache.values().stream().filter(e -> e.balance() > 0).count();
  }

  long balance(Key key) throws SQLException {
    return entry(key).balance();
  }

  /** What the session may still spend: its balance less the reservations of responses in flight. */
  long available(Key key) throws SQLException {
    Entry e = entry(key);
    synchronized (e) {
      return e.balance - e.reserved;
    }
  }

  /** Sets {@code bytes} aside when the session can spend them; empty when it cannot. */
  Optional<Reservation> reserve(Key key, long bytes) throws SQLException {
    if (bytes < 0) throw new IllegalArgumentException("bytes must not be negative");
    while (true) {
      Entry e = entry(key);
      synchronized (e) {
        if (e.evicted) continue; // evicted between the lookup and here: take the fresh entry
        if (e.balance - e.reserved < bytes) return Optional.empty();
        e.reserved += bytes;
      }
      return Optional.of(new Held(e, bytes));
    }
  }

  /**
   * Takes delivered bytes off the balance; returns what is left. Never fails on the database: when the balance
   * cannot be read the debit is kept in memory and written with the next flush that succeeds.
   */
  long debit(Key key, long bytes) {
    if (bytes < 0) throw new IllegalArgumentException("bytes must not be negative");
    Entry e;
    try {
      e = entry(key);
    } catch (SQLException down) {
      e = cache.computeIfAbsent(key, Entry::new); // not loaded: loadedAt 0, so the next use reads the database
    }
    return take(e, bytes);
  }

  private long take(Entry e, long bytes) {
    boolean queue;
    long left;
    synchronized (e) {
      e.balance -= bytes;
      e.unflushed += bytes;
      queue = !e.dirty && bytes > 0;
      if (queue) e.dirty = true;
      left = e.balance;
    }
    if (queue) dirty.add(e);
    return left;
  }

  /** Adds bytes inside the caller's transaction; call {@link #reload} after it commits. */
  void credit(Connection c, Key key, long bytes) throws SQLException {
    upsert(c, key, bytes, bytes, 0);
  }

  /**
   * Takes back, inside the caller's transaction, up to {@code upTo} bytes of what the session can still spend (a
   * credit on trust whose token the mint refused); returns the bytes revoked. Debits not flushed yet and bytes
   * reserved by responses in flight are already spent, so they are not revoked again. Call {@link #reload} after
   * the commit.
   */
  long revoke(Connection c, Key key, long upTo) throws SQLException {
    Entry e = cache.get(key);
    long spent = 0;
    if (e != null) {
      synchronized (e) {
        spent = e.unflushed + e.reserved;
      }
    }
    long revoke = Math.max(0, Math.min(upTo, stored(c, key).orElse(0L) - spent));
    if (revoke > 0) {
      Db.update(c, "UPDATE ecash_gate_sessions SET balance = balance - ?, updated = ? WHERE id = ? AND service = ? "
          + "AND scope = ?", revoke, clock.millis(), key.session(), key.service(), key.scope());
    }
    return revoke;
  }

  /** Re-reads a balance from the database (after a credit committed, or when the cache is stale). */
  void reload(Key key) throws SQLException {
    Entry e = cache.computeIfAbsent(key, Entry::new);
    load(e);
  }

  private Entry entry(Key key) throws SQLException {
    Entry e = cache.get(key);
    long now = clock.millis();
    if (e == null) {
      Entry fresh = new Entry(key);
      e = cache.putIfAbsent(key, fresh);
      if (e == null) e = fresh;
      load(e);
    } else if (now - e.loadedAt > refreshMillis) {
      load(e);
    }
    e.usedAt = now;
    return e;
  }

  private void load(Entry e) throws SQLException {
    e.io.lock();
    try {
      long stored = db.tx(c -> stored(c, e.key)).orElse(0L);
      synchronized (e) {
        e.balance = stored - e.unflushed;
      }
      e.loadedAt = clock.millis();
    } finally {
      e.io.unlock();
    }
  }

  /**
   * Keeps debits the database will not take in {@code file} from now on, and first applies those an earlier run
   * left there; they are written to the database with the next flush that succeeds.
   */
  void spillTo(DebitSpill file) throws IOException {
    Map<Key, Long> left = file.read();
    spill = file;
    left.forEach(this::debit);
    spilled = !left.isEmpty();
  }

  /** Rewrites the spill file with every debit not in the database yet (none: the file goes). */
  private void spillPending() {
    DebitSpill file = spill;
    if (file == null) return;
    Map<Key, Long> pending = new HashMap<>();
    for (Entry e : cache.values()) {
      synchronized (e) {
        if (e.unflushed != 0) pending.put(e.key, e.unflushed);
      }
    }
    try {
      file.write(pending);
      spilled = !pending.isEmpty();
    } catch (IOException e) {
      log.warn("ecash-gate: keeping unwritten debits in {} failed: {}", file, e.getMessage());
    }
  }

  /**
   * Writes the debits taken since the last flush, with one ledger row per session, in one transaction. On
   * failure they stay pending for the next flush, and in the spill file should the process stop first.
   */
  void flush() throws SQLException {
    List<Entry> batch = new ArrayList<>();
    for (Entry e; (e = dirty.poll()) != null; ) batch.add(e);
    if (batch.isEmpty()) {
      evictIdle();
      return;
    }
    long[] amounts = new long[batch.size()];
    for (Entry e : batch) e.io.lock();
    try {
      for (int i = 0; i < batch.size(); i++) {
        Entry e = batch.get(i);
        synchronized (e) {
          amounts[i] = e.unflushed;
          e.dirty = false;
        }
      }
      try {
        db.tx(c -> {
          for (int i = 0; i < batch.size(); i++) {
            if (amounts[i] == 0) continue;
            Key k = batch.get(i).key;
            upsert(c, k, -amounts[i], 0, amounts[i]);
            ledger.append(c, new Ledger.Entry(Ledger.Kind.DEBIT, k.service(), k.scope(), k.session(), null, 0,
                amounts[i], null));
          }
          return null;
        });
      } catch (SQLException failed) {
        for (Entry e : batch) requeue(e);
        spillPending();
        throw failed;
      }
      for (int i = 0; i < batch.size(); i++) {
        Entry e = batch.get(i);
        synchronized (e) {
          e.unflushed -= amounts[i];
        }
      }
    } finally {
      for (Entry e : batch) e.io.unlock();
    }
    if (spilled) spillPending();
    evictIdle();
  }

  private void requeue(Entry e) {
    synchronized (e) {
      if (e.dirty) return;
      e.dirty = true;
    }
    dirty.add(e);
  }

  /** Forgets entries idle for a while with nothing to flush, so the cache holds active sessions only. */
  private void evictIdle() {
    long cutoff = clock.millis() - IDLE_EVICTION.toMillis();
    cache.values().removeIf(e -> {
      if (e.usedAt >= cutoff) return false;
      synchronized (e) {
        e.evicted = !e.dirty && e.unflushed == 0 && e.reserved == 0;
        return e.evicted;
      }
    });
  }

  /** The stored balance, when the session has a row in this (service, scope). */
  static Optional<Long> stored(Connection c, Key k) throws SQLException {
    return Db.one(c, "SELECT balance FROM ecash_gate_sessions WHERE id = ? AND service = ? AND scope = ?",
        rs -> rs.getLong(1), k.session(), k.service(), k.scope());
  }

  private void upsert(Connection c, Key k, long delta, long credited, long debited) throws SQLException {
    long now = clock.millis();
    Db.update(c, "INSERT INTO ecash_gate_sessions (id, service, scope, balance, credited, debited, created, updated) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id, service, scope) DO UPDATE SET "
            + "balance = ecash_gate_sessions.balance + excluded.balance, "
            + "credited = ecash_gate_sessions.credited + excluded.credited, "
            + "debited = ecash_gate_sessions.debited + excluded.debited, updated = excluded.updated",
        k.session(), k.service(), k.scope(), delta, credited, debited, now, now);
  }
}
