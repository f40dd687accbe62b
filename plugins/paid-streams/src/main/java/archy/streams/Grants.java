package archy.streams;

import archy.ecash.Db;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The plugin's tables. Every change of a balance is one conditional statement on the grant row ("the balance
 * covers the price and nothing was delivered past {@code last}"), so two relay processes on one PostgreSQL never
 * debit one observation twice: the second finds the row moved on and updates nothing.
 */
final class Grants {
  record Grant(long balanceSats, long lastDeliveredSeq) {
    static final Grant NONE = new Grant(0, 0);
  }

  record Observation(long seq, String eventId) {}

  /** What crediting a token did: first time, or a token this subscriber already paid this stream with. */
  enum Credit { CREDITED, DUPLICATE, OTHER_OWNER }

  /** Subscribers per debit statement: well under SQLite's and PostgreSQL's limits on bound parameters. */
  static final int CHUNK = 500;

  private final Db db;
  private final Clock clock;
  private final long relaySharePpm;

  Grants(Db db, Clock clock, long relaySharePpm) {
    this.db = db;
    this.clock = clock;
    this.relaySharePpm = relaySharePpm;
  }

  Grant grant(String subscriber, String stream) throws SQLException {
    return db.tx(c -> Db.one(c, "SELECT balance_sats, last_delivered_seq FROM stream_grants WHERE subscriber = ? AND stream = ?",
        rs -> new Grant(rs.getLong(1), rs.getLong(2)), subscriber, stream).orElse(Grant.NONE));
  }

  long lastSeq(String stream) throws SQLException {
    return db.tx(c -> Db.scalar(c, "SELECT COALESCE(MAX(seq), 0) FROM stream_observations WHERE stream = ?", stream));
  }

  /**
   * Records a stored observation, idempotently (the storing process and each sibling that hears of it record it);
   * false when its seq was taken by another event meanwhile (a concurrent publish).
   */
  boolean observed(String stream, long seq, String eventId) throws SQLException {
    return db.tx(c -> Db.update(c, "INSERT INTO stream_observations (stream, seq, event_id) VALUES (?, ?, ?) "
        + "ON CONFLICT DO NOTHING", stream, seq, eventId) == 1
        || Db.one(c, "SELECT 1 FROM stream_observations WHERE stream = ? AND seq = ? AND event_id = ?",
            rs -> true, stream, seq, eventId).isPresent());
  }

  /** Observations after {@code seq}, in seq order. */
  List<Observation> after(String stream, long seq, int limit) throws SQLException {
    return db.tx(c -> Db.query(c, "SELECT seq, event_id FROM stream_observations WHERE stream = ? AND seq > ? "
        + "ORDER BY seq LIMIT " + limit, rs -> new Observation(rs.getLong(1), rs.getString(2)), stream, seq));
  }

  /** The event id of the observation with this seq, if recorded. */
  Optional<String> observation(String stream, long seq) throws SQLException {
    return db.tx(c -> Db.one(c, "SELECT event_id FROM stream_observations WHERE stream = ? AND seq = ?",
        rs -> rs.getString(1), stream, seq));
  }

  /**
   * Debits one observation when it is the next undelivered one: the balance covers the price, and no recorded
   * observation lies between {@code last_delivered_seq} and {@code seq}. With the ledger line and the publisher's
   * share in the same transaction. False when any condition fails (nothing changed).
   */
  boolean debitNext(String subscriber, Offer offer, long seq) throws SQLException {
    return debitNext(List.of(subscriber), offer, seq).contains(subscriber);
  }

  /**
   * {@link #debitNext(String, Offer, long)} for every subscriber of one observation at once (live fan-out to many):
   * one conditional UPDATE per {@value #CHUNK} subscribers, one sale line for them all and the publisher's
   * share once, all in one transaction, instead of a transaction per subscriber. Returns those debited.
   */
  Set<String> debitNext(Collection<String> subscribers, Offer offer, long seq) throws SQLException {
    if (subscribers.isEmpty()) return Set.of();
    // a fixed order, so two processes debiting the same rows on PostgreSQL lock them in the same order
    List<String> sorted = subscribers.stream().distinct().sorted().toList();
    return db.tx(c -> {
      Set<String> debited = new HashSet<>();
      for (int from = 0; from < sorted.size(); from += CHUNK) {
        List<String> chunk = sorted.subList(from, Math.min(sorted.size(), from + CHUNK));
        List<Object> args = new ArrayList<>(List.of(offer.priceSats(), seq, offer.address()));
        args.addAll(chunk);
        args.addAll(List.of(offer.priceSats(), seq, seq));
        debited.addAll(Db.query(c, "UPDATE stream_grants SET balance_sats = balance_sats - ?, last_delivered_seq = ? "
                + "WHERE stream = ? AND subscriber IN (" + String.join(", ", Collections.nCopies(chunk.size(), "?"))
                + ") AND balance_sats >= ? AND last_delivered_seq < ? "
                + "AND NOT EXISTS (SELECT 1 FROM stream_observations o WHERE o.stream = stream_grants.stream "
                + "AND o.seq > stream_grants.last_delivered_seq AND o.seq < ?) RETURNING subscriber",
            rs -> rs.getString(1), args.toArray()));
      }
      earn(c, debited, offer, seq);
      return debited;
    });
  }

  private void earn(Connection c, Set<String> subscribers, Offer offer, long seq) throws SQLException {
    if (subscribers.isEmpty()) return;
    long relaySats = Math.multiplyExact(offer.priceSats(), relaySharePpm) / 1_000_000;
    long publisherSats = Math.multiplyExact(offer.priceSats() - relaySats, (long) subscribers.size());
    long at = clock.millis();
    // One sale line for the whole batch: its copies, what they earned and the relay's share of them.
    Db.update(c, "INSERT INTO stream_sales (at, publisher, stream, seq, copies, sats, relay_sats) "
        + "VALUES (?, ?, ?, ?, ?, ?, ?)", at, offer.publisher(), offer.address(), seq, (long) subscribers.size(),
        Math.multiplyExact(offer.priceSats(), (long) subscribers.size()),
        Math.multiplyExact(relaySats, (long) subscribers.size()));
    if (Db.update(c, "UPDATE stream_publishers SET balance_sats = balance_sats + ? WHERE publisher = ?",
        publisherSats, offer.publisher()) == 0) {
      Db.update(c, "INSERT INTO stream_publishers (publisher, balance_sats) VALUES (?, ?) ON CONFLICT (publisher) "
          + "DO UPDATE SET balance_sats = stream_publishers.balance_sats + excluded.balance_sats",
          offer.publisher(), publisherSats);
    }
  }

  /** Adds exactly {@code sats} for the token, once: the payment row and the balance change commit together. */
  Credit credit(String tokenHash, String subscriber, String stream, long sats) throws SQLException {
    return db.tx(c -> {
      int inserted = Db.update(c, "INSERT INTO stream_payments (token_hash, subscriber, stream, sats, at) "
          + "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", tokenHash, subscriber, stream, sats, clock.millis());
      if (inserted == 0) {
        boolean same = Db.one(c, "SELECT 1 FROM stream_payments WHERE token_hash = ? AND subscriber = ? AND stream = ?",
            rs -> true, tokenHash, subscriber, stream).isPresent();
        return same ? Credit.DUPLICATE : Credit.OTHER_OWNER;
      }
      Db.update(c, "INSERT INTO stream_grants (subscriber, stream, balance_sats, last_delivered_seq) VALUES (?, ?, ?, 0) "
          + "ON CONFLICT (subscriber, stream) DO UPDATE SET balance_sats = stream_grants.balance_sats + excluded.balance_sats",
          subscriber, stream, sats);
      return Credit.CREDITED;
    });
  }

  /** Whether the token was already credited (to anyone). */
  Optional<String> paidBy(String tokenHash) throws SQLException {
    return db.tx(c -> Db.one(c, "SELECT subscriber || ' ' || stream FROM stream_payments WHERE token_hash = ?",
        rs -> rs.getString(1), tokenHash));
  }

  long publisherBalance(String publisher) throws SQLException {
    return db.tx(c -> Db.one(c, "SELECT balance_sats FROM stream_publishers WHERE publisher = ?",
        rs -> rs.getLong(1), publisher).orElse(0L));
  }

  /** Every publisher with earnings, by pubkey. */
  List<PublisherAccounts.Account> accounts() throws SQLException {
    return db.tx(c -> Db.query(c, "SELECT p.publisher, p.balance_sats, COALESCE(SUM(l.sats - l.relay_sats), 0), "
        + "COALESCE(SUM(l.relay_sats), 0), COALESCE(SUM(l.copies), 0) FROM stream_publishers p "
        + "LEFT JOIN stream_sales l ON l.publisher = p.publisher GROUP BY p.publisher, p.balance_sats ORDER BY p.publisher",
        rs -> new PublisherAccounts.Account(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5))));
  }

  /** Gives back a payout whose token could not be made. */
  void deposit(String publisher, long sats) throws SQLException {
    db.tx(c -> Db.update(c, "UPDATE stream_publishers SET balance_sats = balance_sats + ? WHERE publisher = ?",
        sats, publisher));
  }

  /** Takes {@code sats} from the publisher's balance when it holds them (a payout); false otherwise. */
  boolean withdraw(String publisher, long sats) throws SQLException {
    return db.tx(c -> Db.update(c, "UPDATE stream_publishers SET balance_sats = balance_sats - ? "
        + "WHERE publisher = ? AND balance_sats >= ?", sats, publisher, sats) == 1);
  }
}
