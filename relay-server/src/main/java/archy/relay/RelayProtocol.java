package archy.relay;

import archy.config.Relay;
import archy.nostr.Event;
import archy.nostr.EventParser;
import archy.nostr.Filter;
import archy.nostr.FilterParser;
import archy.nostr.Hex;
import archy.nostr.InvalidEventException;
import archy.nostr.InvalidFilterException;
import archy.nostr.Kinds;
import archy.plugin.EventConsumer;
import archy.plugin.EventGateway;
import archy.plugin.Hooks;
import archy.plugin.Verdict;
import archy.store.EventStore;
import archy.store.StoredEvent;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client messages of NIP-01, NIP-42, NIP-45 and NIP-77 (sessions in {@link NegentropySessions}). EVENT is
 * parsed with the streaming parser and verified on the connection's thread (CPU work); REQ and COUNT queries
 * run on virtual threads (blocking JDBC).
 */
final class RelayProtocol {
  private static final Logger log = LoggerFactory.getLogger(RelayProtocol.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();
  /** A query pauses while this much of its output is unsent: results stream at the reader's pace. */
  private static final long QUERY_HIGH_WATER = 1 << 20;
  /** A reader that drains nothing of a paused query for this long is cut off (it holds a database connection). */
  private static final long QUERY_STALL_MILLIS = 30_000;

  private final Relay limits;
  private final EventParser eventParser;
  private final FilterParser filterParser;
  private final EventIngest ingest;
  private final EventStore store;
  private final Hooks hooks;
  private final SubscriptionIndex index;
  private final Fanout fanout;
  private final RelayMetrics metrics;
  private final ExecutorService queries;
  private final Clock clock;
  private final String publicUrl;
  private final NegentropySessions negentropy;

  RelayProtocol(Relay limits, EventParser eventParser, EventIngest ingest, EventStore store, Hooks hooks,
                SubscriptionIndex index, Fanout fanout, RelayMetrics metrics, ExecutorService queries, Clock clock,
                String publicUrl) {
    this.limits = limits;
    this.eventParser = eventParser;
    this.filterParser = new FilterParser(limits.maxFilterValues());
    this.ingest = ingest;
    this.store = store;
    this.hooks = hooks;
    this.index = index;
    this.fanout = fanout;
    this.metrics = metrics;
    this.queries = queries;
    this.clock = clock;
    this.publicUrl = publicUrl;
    this.negentropy = new NegentropySessions(limits, store, fanout, queries, clock);
  }

  void onMessage(Connection c, String text) {
    try (JsonParser p = EventParser.JSON.createParser(text)) {
      if (p.nextToken() != JsonToken.START_ARRAY || p.nextToken() != JsonToken.VALUE_STRING) {
        c.send(RelayMessages.notice("invalid: a message must be a JSON array starting with its type"));
        return;
      }
      switch (p.getText()) {
        case "EVENT" -> onEvent(c, p, text);
        case "REQ" -> onReq(c, p, false);
        case "COUNT" -> onReq(c, p, true);
        case "CLOSE" -> onClose(c, p);
        case "AUTH" -> onAuth(c, p, text);
        case "NEG-OPEN" -> onNegOpen(c, p);
        case "NEG-MSG" -> onNegMsg(c, p);
        case "NEG-CLOSE" -> onNegClose(c, p);
        default -> c.send(RelayMessages.notice("invalid: unknown message type " + p.getText()));
      }
    } catch (IOException e) {
      c.send(RelayMessages.notice("invalid: malformed JSON"));
    }
  }

  private void onEvent(Connection c, JsonParser p, String text) throws IOException {
    Event event = readEvent(c, p, text, "EVENT needs an event object");
    if (event == null) return;
    if (!c.eventRate.tryTake(System.nanoTime())) {
      metrics.rejected("rate-limited:");
      c.send(RelayMessages.ok(event.id(), false, "rate-limited: slow down, at most "
          + limits.eventsPerSecond() + " events per second"));
      return;
    }
    EventConsumer consumer = hooks.consumerOf(event.kind());
    if (consumer != null) {
      consume(c, consumer, event);
      return;
    }
    ingest.publish(event, c.origin())
        .thenAccept(result -> c.send(RelayMessages.ok(event.id(), result.accepted(), result.message())));
  }

  /** A plugin takes the event instead of the store (a stream payment); its answer is the client's OK. */
  private void consume(Connection c, EventConsumer consumer, Event event) {
    CompletableFuture<EventGateway.Published> answer;
    try {
      answer = consumer.consume(event, c.origin(), List.copyOf(c.subscriptions.values()));
    } catch (RuntimeException e) {
      answer = CompletableFuture.failedFuture(e);
    }
    answer.whenComplete((result, failure) -> {
      if (failure != null) {
        log.warn("a plugin failed to take event {} of kind {}", event.id(), event.kind(), failure);
        c.send(RelayMessages.ok(event.id(), false, "error: the event could not be processed"));
      } else {
        c.send(RelayMessages.ok(event.id(), result.accepted(), result.message()));
      }
    });
  }

  /** Reads and verifies the event object that comes next, or answers the client and returns null. */
  private Event readEvent(Connection c, JsonParser p, String text, String missing) throws IOException {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      c.send(RelayMessages.notice("invalid: " + missing));
      return null;
    }
    try {
      return eventParser.read(p);
    } catch (InvalidEventException e) {
      rejectUnparsed(c, text, "invalid: " + e.getMessage());
      return null;
    }
  }

  /** Answers with OK false when the bad event at least has a usable id, else with a NOTICE. */
  private void rejectUnparsed(Connection c, String text, String message) {
    metrics.rejected(message);
    String id = null;
    try {
      JsonNode frame = MAPPER.readTree(text);
      JsonNode idNode = frame.path(1).path("id");
      if (idNode.isTextual() && Hex.isLowerHex(idNode.asText(), 64)) id = idNode.asText();
    } catch (IOException ignored) {
      // malformed JSON: nothing to quote back
    }
    c.send(id != null ? RelayMessages.ok(id, false, message) : RelayMessages.notice(message));
  }

  private void onReq(Connection c, JsonParser p, boolean count) throws IOException {
    if (p.nextToken() != JsonToken.VALUE_STRING) {
      c.send(RelayMessages.notice("invalid: " + (count ? "COUNT" : "REQ") + " needs a subscription id"));
      return;
    }
    String subId = p.getText();
    if (subId.isEmpty() || subId.length() > limits.maxSubscriptionIdLength()) {
      c.send(RelayMessages.closed(subId, "invalid: subscription id must be 1 to "
          + limits.maxSubscriptionIdLength() + " characters"));
      return;
    }
    List<Filter> filters = new ArrayList<>();
    while (p.nextToken() != JsonToken.END_ARRAY && p.currentToken() != null) {
      if (filters.size() >= limits.maxFilters()) {
        c.send(RelayMessages.closed(subId, "invalid: more than " + limits.maxFilters() + " filters"));
        return;
      }
      try {
        filters.add(filterParser.parse(MAPPER.readTree(p)));
      } catch (InvalidFilterException e) {
        c.send(RelayMessages.closed(subId, "invalid: " + e.getMessage()));
        return;
      }
    }
    if (filters.isEmpty()) {
      c.send(RelayMessages.closed(subId, "invalid: at least one filter is required"));
      return;
    }
    String refusal = readRefusal(c, filters);
    if (refusal != null) {
      c.send(RelayMessages.closed(subId, refusal));
      return;
    }
    if (count) {
      String countRefusal = countRefusal(c, filters);
      if (countRefusal != null) {
        c.send(RelayMessages.closed(subId, countRefusal));
        return;
      }
      queries.execute(() -> runCount(c, subId, filters));
      return;
    }
    if (!c.subscriptions.containsKey(subId) && c.subscriptions.size() >= limits.maxSubscriptions()) {
      c.send(RelayMessages.closed(subId, "blocked: more than " + limits.maxSubscriptions() + " open subscriptions"));
      return;
    }
    Subscription subscription = new Subscription(c, subId, List.copyOf(filters));
    Subscription previous = c.subscriptions.put(subId, subscription);
    if (previous != null) {
      previous.close();
      index.remove(previous);
    }
    // Registered before the query so no event committed meanwhile is missed (a client may see one twice).
    index.add(subscription);
    queries.execute(() -> runQuery(subscription));
  }

  private String readRefusal(Connection c, List<Filter> filters) {
    for (Filter filter : filters) {
      if (!c.isAuthed()) {
        for (Integer kind : filter.kinds()) {
          if (fanout.isRestricted(kind)) return "auth-required: reading kind " + kind + " needs authentication";
        }
      }
      Verdict verdict = hooks.checkFilter(filter, c.origin());
      if (verdict instanceof Verdict.Reject reject) return reject.message();
    }
    return null;
  }

  /** COUNT and NIP-77 answer from the database alone: they may not run over what a delivery policy withholds. */
  private String countRefusal(Connection c, List<Filter> filters) {
    for (Filter filter : filters) {
      String refusal = hooks.countRefusal(filter, c.origin());
      if (refusal != null) return refusal;
    }
    return null;
  }

  private void runQuery(Subscription subscription) {
    long started = System.nanoTime();
    Connection c = subscription.connection;
    long now = clock.instant().getEpochSecond();
    Set<String> sent = subscription.filters.size() > 1 ? new HashSet<>() : null;
    try {
      for (Filter filter : subscription.filters) {
        int limit = Math.min(filter.limit() == null ? limits.defaultLimit() : filter.limit(), limits.maxLimit());
        if (limit <= 0) continue;
        store.query(filter, limit, now, row -> {
          if (!subscription.isOpen()) return false;
          if (sent != null && !sent.add(row.id())) return true;
          if (fanout.isRestricted(row.kind()) && !mayReadStored(c, row)) return true;
          if (!fanout.mayDeliverStored(subscription, row)) return true;
          if (!c.outbox.awaitBelow(QUERY_HIGH_WATER, QUERY_STALL_MILLIS)) return false;
          return subscription.sendJson(row.jsonUtf8());
        });
        if (!subscription.isOpen()) return;
      }
      c.send(RelayMessages.eose(subscription.id));
    } catch (RuntimeException e) {
      log.warn("query failed for subscription on connection {}", c.session.getId(), e);
      c.send(RelayMessages.closed(subscription.id, "error: the query failed"));
      c.subscriptions.remove(subscription.id, subscription);
      subscription.close();
      index.remove(subscription);
    } finally {
      metrics.query.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }
  }

  static boolean mayReadStored(Connection c, StoredEvent row) {
    if (c.origin().isAuthedAs(row.pubkey())) return true;
    try {
      JsonNode tags = MAPPER.readTree(row.json()).path("tags");
      List<List<String>> list = new ArrayList<>();
      for (JsonNode tag : tags) {
        List<String> t = new ArrayList<>();
        tag.forEach(v -> t.add(v.asText()));
        list.add(t);
      }
      return Fanout.mayRead(c, row.pubkey(), list);
    } catch (IOException e) {
      return false;
    }
  }

  private void runCount(Connection c, String subId, List<Filter> filters) {
    long started = System.nanoTime();
    try {
      long n = store.count(filters, clock.instant().getEpochSecond());
      c.send(RelayMessages.count(subId, n));
    } catch (RuntimeException e) {
      log.warn("count failed on connection {}", c.session.getId(), e);
      c.send(RelayMessages.closed(subId, "error: the count failed"));
    } finally {
      metrics.query.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }
  }

  private void onClose(Connection c, JsonParser p) throws IOException {
    if (p.nextToken() != JsonToken.VALUE_STRING) {
      c.send(RelayMessages.notice("invalid: CLOSE needs a subscription id"));
      return;
    }
    Subscription subscription = c.subscriptions.remove(p.getText());
    if (subscription != null) {
      subscription.close();
      index.remove(subscription);
    }
  }

  /** NIP-77: {@code ["NEG-OPEN", <subscription id>, <filter>, <hex message>]}; the filter meets REQ's checks. */
  private void onNegOpen(Connection c, JsonParser p) throws IOException {
    String subId = negSubscriptionId(c, p, "NEG-OPEN");
    if (subId == null) return;
    Filter filter;
    try {
      if (p.nextToken() != JsonToken.START_OBJECT) throw new InvalidFilterException("NEG-OPEN needs a filter");
      filter = filterParser.parse(MAPPER.readTree(p));
    } catch (InvalidFilterException e) {
      c.send(RelayMessages.negErr(subId, "invalid: " + e.getMessage()));
      return;
    }
    if (p.nextToken() != JsonToken.VALUE_STRING) {
      c.send(RelayMessages.negErr(subId, "invalid: NEG-OPEN needs a hex negentropy message"));
      return;
    }
    String refusal = readRefusal(c, List.of(filter));
    if (refusal == null) refusal = countRefusal(c, List.of(filter));
    if (refusal != null) {
      c.send(RelayMessages.negErr(subId, refusal));
      return;
    }
    negentropy.open(c, subId, filter, p.getText());
  }

  private void onNegMsg(Connection c, JsonParser p) throws IOException {
    String subId = negSubscriptionId(c, p, "NEG-MSG");
    if (subId == null) return;
    if (p.nextToken() != JsonToken.VALUE_STRING) {
      c.send(RelayMessages.negErr(subId, "invalid: NEG-MSG needs a hex negentropy message"));
      return;
    }
    negentropy.message(c, subId, p.getText());
  }

  private void onNegClose(Connection c, JsonParser p) throws IOException {
    String subId = negSubscriptionId(c, p, "NEG-CLOSE");
    if (subId != null) negentropy.close(c, subId);
  }

  private String negSubscriptionId(Connection c, JsonParser p, String type) throws IOException {
    if (p.nextToken() != JsonToken.VALUE_STRING) {
      c.send(RelayMessages.notice("invalid: " + type + " needs a subscription id"));
      return null;
    }
    String subId = p.getText();
    if (subId.isEmpty() || subId.length() > limits.maxSubscriptionIdLength()) {
      c.send(RelayMessages.negErr(subId, "invalid: subscription id must be 1 to "
          + limits.maxSubscriptionIdLength() + " characters"));
      return null;
    }
    return subId;
  }

  void closeAll(Connection c) {
    negentropy.closeAll(c);
    for (Subscription subscription : c.subscriptions.values()) {
      subscription.close();
      index.remove(subscription);
    }
    c.subscriptions.clear();
  }

  private void onAuth(Connection c, JsonParser p, String text) throws IOException {
    Event event = readEvent(c, p, text, "AUTH needs a signed kind 22242 event");
    if (event == null) return;
    String problem = authProblem(c, event);
    if (problem != null) {
      c.send(RelayMessages.ok(event.id(), false, problem));
      return;
    }
    c.authenticated(event.pubkey());
    c.send(RelayMessages.ok(event.id(), true, ""));
  }

  private String authProblem(Connection c, Event event) {
    if (event.kind() != Kinds.AUTH) return "invalid: AUTH event must be kind 22242";
    if (!c.challenge.equals(event.firstTagValue("challenge"))) return "invalid: wrong or missing challenge";
    String relay = event.firstTagValue("relay");
    if (relay == null || !RelayUrls.sameRelay(relay, publicUrl)) {
      return "invalid: relay tag does not name this relay (" + publicUrl + ")";
    }
    long now = clock.instant().getEpochSecond();
    if (Math.abs(now - event.createdAt()) > 600) return "invalid: created_at is more than 10 minutes off";
    return null;
  }
}
