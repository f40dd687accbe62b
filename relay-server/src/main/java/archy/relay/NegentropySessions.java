package archy.relay;

import archy.config.Relay;
import archy.negentropy.Negentropy;
import archy.negentropy.NegentropyException;
import archy.negentropy.Storage;
import archy.nostr.Filter;
import archy.nostr.Hex;
import archy.store.EventStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * NIP-77 on the server side: NEG-OPEN reads the (created_at, id) of every stored event the filter matches and
 * the connection may read, into a sorted vector, and answers; NEG-MSG continues; NEG-CLOSE ends. Reading the
 * records runs on the query executor (blocking JDBC); each session answers one message at a time.
 */
final class NegentropySessions {
  private static final Logger log = LoggerFactory.getLogger(NegentropySessions.class);
  /** Restricted events whose readability needs their tags are checked in batches of this many ids. */
  private static final int CHECK_BATCH = 500;

  private final Relay limits;
  private final EventStore store;
  private final Fanout fanout;
  private final ExecutorService queries;
  private final Clock clock;

  NegentropySessions(Relay limits, EventStore store, Fanout fanout, ExecutorService queries, Clock clock) {
    this.limits = limits;
    this.store = store;
    this.fanout = fanout;
    this.queries = queries;
    this.clock = clock;
  }

  /** The filter has passed the same checks as a REQ's (auth-gated kinds, plugin hooks). */
  void open(Connection c, String subId, Filter filter, String hex) {
    byte[] first = decode(c, subId, hex);
    if (first == null) return;
    CompletableFuture<Negentropy> previous = c.negentropy.remove(subId);
    if (previous != null) previous.cancel(false);
    if (limits.negentropyMaxSessions() == 0) {
      c.send(RelayMessages.negErr(subId, "blocked: NIP-77 negentropy is turned off on this relay"));
      return;
    }
    if (c.negentropy.size() >= limits.negentropyMaxSessions()) {
      c.send(RelayMessages.negErr(subId, "blocked: more than " + limits.negentropyMaxSessions()
          + " open negentropy sessions"));
      return;
    }
    CompletableFuture<Negentropy> session = CompletableFuture.supplyAsync(() -> build(c, filter), queries);
    c.negentropy.put(subId, session);
    answer(c, subId, session, first);
  }

  void message(Connection c, String subId, String hex) {
    CompletableFuture<Negentropy> session = c.negentropy.get(subId);
    if (session == null) {
      c.send(RelayMessages.negErr(subId, "closed: no open negentropy session with this id"));
      return;
    }
    byte[] message = decode(c, subId, hex);
    if (message != null) answer(c, subId, session, message);
  }

  void close(Connection c, String subId) {
    CompletableFuture<Negentropy> session = c.negentropy.remove(subId);
    if (session != null) session.cancel(false);
  }

  void closeAll(Connection c) {
    c.negentropy.values().forEach(s -> s.cancel(false));
    c.negentropy.clear();
  }

  private byte[] decode(Connection c, String subId, String hex) {
    if (hex.isEmpty() || hex.length() % 2 != 0 || !Hex.isLowerHex(hex, hex.length())) {
      fail(c, subId, null, "invalid: the negentropy message must be lowercase hex");
      return null;
    }
    return Hex.decode(hex);
  }

  private void answer(Connection c, String subId, CompletableFuture<Negentropy> session, byte[] message) {
    session.thenAcceptAsync(neg -> {
      byte[] reply;
      synchronized (neg) {
        reply = neg.respond(message);
      }
      if (c.negentropy.get(subId) == session) c.send(RelayMessages.negMsg(subId, Hex.encode(reply)));
    }, queries).exceptionally(e -> {
      Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
      switch (cause) {
        case TooManyRecords t -> fail(c, subId, session, "blocked: more than " + limits.negentropyMaxRecords()
            + " events match this filter; narrow it (since/until)");
        case NegentropyException n -> fail(c, subId, session, "invalid: " + n.getMessage());
        case java.util.concurrent.CancellationException x -> { } // closed or replaced meanwhile
        default -> {
          log.warn("negentropy session failed on connection {}", c.session.getId(), cause);
          fail(c, subId, session, "error: the negentropy query failed");
        }
      }
      return null;
    });
  }

  private void fail(Connection c, String subId, CompletableFuture<Negentropy> session, String reason) {
    if (session != null && !c.negentropy.remove(subId, session)) return;
    c.send(RelayMessages.negErr(subId, reason));
  }

  private static final class TooManyRecords extends RuntimeException {
    TooManyRecords() {
      super(null, null, false, false);
    }
  }

  /**
   * The connection's view of the filter: restricted kinds only where it is authed as the author or (checked on
   * the full event) a {@code p}-tagged recipient, as a REQ would deliver them.
   */
  private Negentropy build(Connection c, Filter filter) {
    int max = limits.negentropyMaxRecords();
    boolean limited = filter.limit() != null;
    int limit = limited ? Math.min(filter.limit(), max) : max + 1;
    long now = clock.instant().getEpochSecond();
    Storage.Builder records = new Storage.Builder();
    Map<String, Long> toCheck = new HashMap<>();
    int[] matched = {0};
    store.records(filter, limit, now, row -> {
      matched[0]++;
      if (!fanout.isRestricted(row.kind()) || c.origin().isAuthedAs(row.pubkey())) {
        records.add(row.createdAt(), row.id());
      } else if (c.isAuthed()) {
        toCheck.put(row.id(), row.createdAt());
      }
      return true;
    });
    // Counted before the read policy, so the refusal does not depend on (or reveal) who may read what.
    if (!limited && matched[0] > max) throw new TooManyRecords();
    addReadable(c, toCheck, records, now);
    return new Negentropy(records.seal(), limits.negentropyFrameBytes());
  }

  private void addReadable(Connection c, Map<String, Long> toCheck, Storage.Builder records, long now) {
    List<String> ids = new ArrayList<>(toCheck.keySet());
    for (int i = 0; i < ids.size(); i += CHECK_BATCH) {
      List<String> batch = ids.subList(i, Math.min(ids.size(), i + CHECK_BATCH));
      Filter byId = new Filter(Set.copyOf(batch), Set.of(), Set.of(), Map.of(), null, null, null);
      store.query(byId, batch.size(), now, row -> {
        if (RelayProtocol.mayReadStored(c, row)) records.add(row.createdAt(), row.id());
        return true;
      });
    }
  }
}
