package archy.store;

import archy.nostr.Event;
import archy.nostr.Filter;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Where accepted events live. One contract, two back ends (SQLite and PostgreSQL), one test suite.
 *
 * <p>Writes go through {@link #save}: the store groups concurrent writes into one transaction (group
 * commit) and completes each future only after its transaction committed, so an {@code OK true} sent
 * on completion is durable. Replaceable and addressable events are replaced atomically inside that
 * transaction; kind 5 deletions (NIP-09) are applied there too.
 */
public interface EventStore extends AutoCloseable {

  /** Stores the event (or applies the deletion it carries); completes after commit. */
  CompletableFuture<SaveResult> save(Event event);

  /**
   * Streams stored events matching {@code filter}, newest first (ties: lower id first), skipping expired
   * ones, at most {@code limit} of them. The sink returns false to stop early.
   */
  void query(Filter filter, int limit, long now, Predicate<StoredEvent> sink);

  /**
   * As {@link #query}, but only the keys of each event, never its JSON: NIP-77 reconciles over (created_at,
   * id) of every match, which may be hundreds of thousands of rows.
   */
  void records(Filter filter, int limit, long now, Predicate<EventRecord> sink);

  /** NIP-45: how many distinct stored, unexpired events match any of the filters. */
  long count(List<Filter> filters, long now);

  /**
   * Removes the stored event with this id (an operator's NIP-86 ban; unlike NIP-09 it leaves no tombstone, the
   * ban list refuses it from then on); true when it was stored. Takes effect for every process on the database.
   */
  boolean delete(String id);

  /** Deletes events whose NIP-40 expiration has passed; returns how many. */
  int purgeExpired(long now);

  /** Number of stored events and the bytes their JSON takes. */
  StoreStats stats();

  /**
   * Events written by other processes sharing this database (PostgreSQL LISTEN/NOTIFY); the SQLite
   * store, being single-process, never calls it.
   */
  void onRemoteEvent(Consumer<Event> listener);

  /** Waits for queued writes to commit, then releases connections. */
  @Override
  void close();
}
