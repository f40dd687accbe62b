package archy.store;

import archy.nostr.Event;
import archy.nostr.Hex;
import archy.nostr.Kinds;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The storage rules applied to each event of one write transaction: duplicates, NIP-09 tombstones,
 * replaceable/addressable replacement, kind 5 deletions, tag rows and (PostgreSQL) change notifications.
 * Statements are prepared on first use and reused for the whole batch.
 */
final class SaveTransaction implements AutoCloseable {
  static final String DUPLICATE = "duplicate: already have this event";
  static final String DELETED = "blocked: this event was deleted";
  static final String NEWER_STORED = "duplicate: a newer version of this event is stored";
  static final String ADDRESS_DELETED = "blocked: this address was deleted";
  static final String EXPIRED = "invalid: this event has expired";
  static final String ADDRESS_TOO_LONG = "invalid: d tag is too long";
  /** The address is part of a unique btree key; PostgreSQL refuses keys over ~2.7 kB. */
  private static final int MAX_ADDRESS = 512;

  private final Connection c;
  private final Dialect dialect;
  private final long now;
  private final PgNotifier notifier;
  private final List<String> payloads = new ArrayList<>();
  private final PreparedStatement[] statements = new PreparedStatement[Stmt.values().length];

  /** Every statement the rules use; FOR UPDATE (PostgreSQL only) holds the current version while we compare. */
  private enum Stmt {
    EXISTING("SELECT EXISTS (SELECT 1 FROM events WHERE id = ?),"
        + " EXISTS (SELECT 1 FROM deleted_events WHERE id = ? AND pubkey = ?)"),
    ADDRESS_TOMBSTONE("SELECT deleted_until FROM deleted_addresses WHERE pubkey = ? AND kind = ? AND address = ?"),
    CURRENT_VERSION("SELECT seq, id, created_at FROM events WHERE pubkey = ? AND kind = ? AND address = ?"),
    CURRENT_VERSION_LOCKED(CURRENT_VERSION.text + " FOR UPDATE"),
    DELETE_SEQ("DELETE FROM events WHERE seq = ?"),
    INSERT("INSERT INTO events (id, pubkey, kind, created_at, expires_at, address, json)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING seq"),
    INSERT_TAG("INSERT INTO tags (event_seq, name, value, kind, created_at, pubkey) VALUES (?, ?, ?, ?, ?, ?)"),
    DELETE_ID("DELETE FROM events WHERE id = ? AND pubkey = ? AND kind <> 5"),
    TOMBSTONE_ID("INSERT INTO deleted_events (id, pubkey) VALUES (?, ?) ON CONFLICT DO NOTHING"),
    DELETE_ADDRESS("DELETE FROM events WHERE pubkey = ? AND kind = ? AND address = ? AND created_at <= ? RETURNING id"),
    TOMBSTONE_ADDRESS("INSERT INTO deleted_addresses (pubkey, kind, address, deleted_until) VALUES (?, ?, ?, ?)"
        + " ON CONFLICT (pubkey, kind, address) DO UPDATE SET deleted_until = excluded.deleted_until"
        + " WHERE excluded.deleted_until > deleted_addresses.deleted_until"),
    NOTIFY("SELECT pg_notify(?, payload) FROM unnest(?::text[]) AS payload"),
    LOCK("SELECT pg_advisory_xact_lock(k) FROM unnest(?::bigint[]) AS k");

    final String text;

    Stmt(String text) {
      this.text = text;
    }
  }

  /** @param notifier null on SQLite */
  SaveTransaction(Connection c, Dialect dialect, long now, PgNotifier notifier) {
    this.c = c;
    this.dialect = dialect;
    this.now = now;
    this.notifier = notifier;
  }

  /**
   * PostgreSQL: takes a transaction lock on every event id and address the batch stores or deletes, before
   * any rule reads the tables. Without it a publish on one process and its NIP-09 deletion on another both
   * commit, each blind to the other's uncommitted row, and the deleted event stays. Whoever locks second
   * waits for the first to commit and, under READ COMMITTED, its later statements see that commit. The
   * keys are locked in ascending order, so two batches never wait on each other in a cycle.
   */
  void lock(List<Event> batch) throws SQLException {
    if (dialect != Dialect.POSTGRESQL) return; // SQLite has one writer at a time
    TreeSet<Long> keys = new TreeSet<>();
    for (Event e : batch) LockKeys.addTo(keys, e);
    PreparedStatement lock = statement(Stmt.LOCK);
    lock.setArray(1, c.createArrayOf("bigint", keys.toArray()));
    try (ResultSet rs = lock.executeQuery()) {
      while (rs.next()) {
        // pg_advisory_xact_lock returns void; reading the rows takes every lock, in array order.
      }
    }
  }

  SaveResult apply(Event e) throws SQLException {
    Long expiration = e.expiration();
    if (expiration != null && expiration <= now) return new SaveResult.Refused(EXPIRED);
    String address = e.address();
    if (address != null && address.length() > MAX_ADDRESS) return new SaveResult.Refused(ADDRESS_TOO_LONG);

    PreparedStatement existing = statement(Stmt.EXISTING);
    existing.setString(1, e.id());
    existing.setString(2, e.id());
    existing.setString(3, e.pubkey());
    try (ResultSet rs = existing.executeQuery()) {
      rs.next();
      if (rs.getBoolean(1)) return new SaveResult.Duplicate(DUPLICATE);
      if (rs.getBoolean(2)) return new SaveResult.Refused(DELETED);
    }

    List<String> removed = new ArrayList<>(0);
    if (address != null) {
      PreparedStatement tombstone = statement(Stmt.ADDRESS_TOMBSTONE);
      bindAddress(tombstone, e.pubkey(), e.kind(), address);
      try (ResultSet rs = tombstone.executeQuery()) {
        if (rs.next() && rs.getLong(1) >= e.createdAt()) return new SaveResult.Refused(ADDRESS_DELETED);
      }
      PreparedStatement current = statement(dialect == Dialect.POSTGRESQL ? Stmt.CURRENT_VERSION_LOCKED : Stmt.CURRENT_VERSION);
      bindAddress(current, e.pubkey(), e.kind(), address);
      long oldSeq = -1;
      try (ResultSet rs = current.executeQuery()) {
        if (rs.next()) {
          String oldId = rs.getString(2);
          long oldCreatedAt = rs.getLong(3);
          // NIP-01: the newer version wins; on equal created_at the lower id stays.
          if (oldCreatedAt > e.createdAt() || (oldCreatedAt == e.createdAt() && oldId.compareTo(e.id()) < 0)) {
            return new SaveResult.Refused(NEWER_STORED);
          }
          oldSeq = rs.getLong(1);
          removed.add(oldId);
        }
      }
      if (oldSeq >= 0) {
        PreparedStatement delete = statement(Stmt.DELETE_SEQ);
        delete.setLong(1, oldSeq);
        delete.executeUpdate();
      }
    }

    if (e.kind() == Kinds.DELETION) applyDeletion(e, removed);

    PreparedStatement insert = statement(Stmt.INSERT);
    insert.setString(1, e.id());
    insert.setString(2, e.pubkey());
    insert.setInt(3, e.kind());
    insert.setLong(4, e.createdAt());
    if (expiration == null) insert.setNull(5, Types.BIGINT); else insert.setLong(5, expiration);
    if (address == null) insert.setNull(6, Types.VARCHAR); else insert.setString(6, address);
    insert.setString(7, e.json());
    long seq;
    try (ResultSet rs = insert.executeQuery()) {
      rs.next();
      seq = rs.getLong(1);
    }
    insertTags(e, seq);
    if (notifier != null) {
      notifier.markOwn(seq);
      payloads.add(PgNotifier.payload(seq));
    }
    return new SaveResult.Saved(List.copyOf(removed));
  }

  /** Sends the collected notifications; PostgreSQL delivers them when the transaction commits. */
  void flushNotifications() throws SQLException {
    if (notifier == null || payloads.isEmpty()) return;
    PreparedStatement notify = statement(Stmt.NOTIFY);
    notify.setString(1, notifier.channel());
    notify.setArray(2, c.createArrayOf("text", payloads.toArray()));
    try (ResultSet rs = notify.executeQuery()) {
      while (rs.next()) {
        // pg_notify returns void; reading the rows runs it for every payload.
      }
    }
    payloads.clear();
  }

  /** NIP-09: only the author's own events go, never other deletions; tombstones catch later arrivals. */
  private void applyDeletion(Event deletion, List<String> removed) throws SQLException {
    Set<String> seen = new HashSet<>();
    for (List<String> tag : deletion.tags()) {
      if (tag.size() < 2 || !seen.add(tag.get(0) + ':' + tag.get(1))) continue;
      if (tag.get(0).equals("e") && Hex.isLowerHex(tag.get(1), 64)) {
        PreparedStatement delete = statement(Stmt.DELETE_ID);
        delete.setString(1, tag.get(1));
        delete.setString(2, deletion.pubkey());
        if (delete.executeUpdate() > 0) removed.add(tag.get(1));
        PreparedStatement tombstone = statement(Stmt.TOMBSTONE_ID);
        tombstone.setString(1, tag.get(1));
        tombstone.setString(2, deletion.pubkey());
        tombstone.executeUpdate();
      } else if (tag.get(0).equals("a")) {
        deleteAddress(deletion, tag.get(1), removed);
      }
    }
  }

  /** {@code kind:pubkey:d} (d may hold colons); only the deletion's author may delete the address. */
  private void deleteAddress(Event deletion, String coordinate, List<String> removed) throws SQLException {
    int first = coordinate.indexOf(':');
    if (first < 0) return;
    int second = coordinate.indexOf(':', first + 1);
    String pubkey = second < 0 ? coordinate.substring(first + 1) : coordinate.substring(first + 1, second);
    String address = second < 0 ? "" : coordinate.substring(second + 1);
    int kind;
    try {
      kind = Integer.parseInt(coordinate.substring(0, first));
    } catch (NumberFormatException e) {
      return;
    }
    if (!pubkey.equals(deletion.pubkey()) || address.length() > MAX_ADDRESS) return;
    if (!Kinds.isAddressable(kind) && !(Kinds.isReplaceable(kind) && address.isEmpty())) return;
    PreparedStatement delete = statement(Stmt.DELETE_ADDRESS);
    bindAddress(delete, pubkey, kind, address);
    delete.setLong(4, deletion.createdAt());
    try (ResultSet rs = delete.executeQuery()) {
      while (rs.next()) removed.add(rs.getString(1));
    }
    PreparedStatement tombstone = statement(Stmt.TOMBSTONE_ADDRESS);
    bindAddress(tombstone, pubkey, kind, address);
    tombstone.setLong(4, deletion.createdAt());
    tombstone.executeUpdate();
  }

  /** Single-letter tag names with their first value, once per (name, value). */
  private void insertTags(Event e, long seq) throws SQLException {
    Set<String> seen = null;
    PreparedStatement insert = null;
    for (List<String> tag : e.tags()) {
      if (tag.size() < 2 || tag.get(0).length() != 1 || tag.get(1).length() > QueryBuilder.MAX_INDEXED_TAG_VALUE) {
        continue;
      }
      if (seen == null) {
        seen = new HashSet<>();
        insert = statement(Stmt.INSERT_TAG);
      }
      if (!seen.add(tag.get(0) + '\0' + tag.get(1))) continue;
      insert.setLong(1, seq);
      insert.setString(2, tag.get(0));
      insert.setString(3, tag.get(1));
      insert.setInt(4, e.kind());
      insert.setLong(5, e.createdAt());
      insert.setString(6, e.pubkey());
      insert.addBatch();
    }
    if (insert != null) insert.executeBatch();
  }

  private static void bindAddress(PreparedStatement ps, String pubkey, int kind, String address) throws SQLException {
    ps.setString(1, pubkey);
    ps.setInt(2, kind);
    ps.setString(3, address);
  }

  private PreparedStatement statement(Stmt sql) throws SQLException {
    PreparedStatement ps = statements[sql.ordinal()];
    if (ps == null) {
      ps = c.prepareStatement(sql.text);
      statements[sql.ordinal()] = ps;
    }
    return ps;
  }

  @Override
  public void close() throws SQLException {
    for (PreparedStatement ps : statements) {
      if (ps != null) ps.close();
    }
  }
}
