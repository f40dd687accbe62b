package archy.film.sync;

import archy.nostr.Event;
import archy.nostr.EventParser;
import archy.nostr.InvalidEventException;
import archy.nostr.Schnorr;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One upstream relay. On connect it opens a live subscription (events from now on), then catches up phase
 * by phase: trust lists, then films, then adverts, each paged backwards with {@code until} from the saved
 * cursor. Films wait for the lists to be applied, so publishers delegated upstream are asked for too.
 * A dropped connection is retried with exponential backoff (1 s doubling to 60 s, with jitter).
 *
 * <p>The JDK client calls the listener one message at a time; state shared with ingest completions and
 * trust changes is guarded by {@code this}. At most {@value #WINDOW} events are in flight: the socket is
 * asked for the next message only when the store has room, so a large catch-up cannot flood the node.
 */
final class UpstreamLink implements WebSocket.Listener {
  private static final Logger log = LoggerFactory.getLogger(UpstreamLink.class);
  private static final int PAGE = 500;
  private static final int WINDOW = 64;
  private static final long MIN_BACKOFF_MS = 1_000, MAX_BACKOFF_MS = 60_000;
  private static final String LIVE = "live";
  private static final EventParser PARSER = new EventParser(Schnorr.verifier());

  private enum Phase { LISTS, FILMS, ADVERTS }

  private final URI uri;
  private final UpstreamSync sync;
  private final SyncCursors cursors;
  private final long slackSeconds;
  private final StringBuilder partial = new StringBuilder();
  private final Object sendLock = new Object();
  private CompletableFuture<?> lastSend = CompletableFuture.completedFuture(null);

  private WebSocket socket;
  private boolean closed;
  private int failures;
  private long sessionStart;
  private int sessionEvents;
  /** When this node last had everything the upstream stored (epoch seconds), -1 when never: the lag gauge. */
  private volatile long inStepAt = -1;
  private Long since;
  private boolean caughtUp;
  private final Deque<Object> catchUp = new ArrayDeque<>(); // Phase or a filter (ObjectNode)
  private ObjectNode paging;
  private String pageSub;
  private int pages;
  private long pageOldest;
  private int pageFresh;
  private int pageCount;
  private Long pageUntil;
  private Set<String> pageSeen = new HashSet<>();
  private List<CompletableFuture<?>> pageIngests = new ArrayList<>();
  private int inFlight;
  private boolean starved;

  UpstreamLink(URI uri, UpstreamSync sync, SyncCursors cursors, long slackSeconds) {
    this.uri = uri;
    this.sync = sync;
    this.cursors = cursors;
    this.slackSeconds = slackSeconds;
  }

  void connect() {
    synchronized (this) {
      if (closed) return;
    }
    sync.http().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10)).buildAsync(uri, this)
        .whenComplete((ws, failure) -> {
          if (failure != null) {
            // The first failure is a state change; the retries that follow are not news.
            String why = failure.getCause() != null ? failure.getCause().toString() : failure.toString();
            if (failures() == 0) log.info("film sync {}: unreachable ({}), retrying with backoff", uri, why);
            else log.debug("film sync {}: still unreachable: {}", uri, why);
            retryLater();
          }
        });
  }

  @Override
  public synchronized void onOpen(WebSocket ws) {
    if (closed) {
      ws.abort();
      return;
    }
    socket = ws;
    failures = 0;
    sessionStart = sync.now();
    Long cursor = cursors.load(uri);
    since = cursor == null ? null : Math.max(0, cursor - slackSeconds);
    if (inStepAt < 0 && cursor != null) inStepAt = cursor;
    caughtUp = false;
    sessionEvents = 0;
    catchUp.clear();
    catchUp.addAll(List.of(Phase.LISTS, Phase.FILMS, Phase.ADVERTS));
    paging = null;
    inFlight = 0;
    starved = false;
    log.info("film sync {}: connected, catching up from {}", uri,
        since == null ? "the beginning" : Instant.ofEpochSecond(since).toString());
    sendLive();
    nextFilter();
    ws.request(1);
  }

  @Override
  public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      String message = partial.toString();
      partial.setLength(0);
      handle(message);
    }
    synchronized (this) {
      if (inFlight < WINDOW) ws.request(1);
      else starved = true;
    }
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
    log.info("film sync {}: disconnected by the upstream ({}{}), reconnecting", uri, statusCode,
        reason == null || reason.isEmpty() ? "" : " " + reason);
    dropped(ws);
    return null;
  }

  @Override
  public void onError(WebSocket ws, Throwable error) {
    log.info("film sync {}: connection failed ({}), reconnecting", uri, error.getMessage() != null
        ? error.getMessage() : error.getClass().getSimpleName());
    dropped(ws);
  }

  /** New trusted publishers: renew the live filters and fetch their whole history. */
  synchronized void trustChanged(Set<String> added) {
    if (socket == null) return;
    sendLive();
    if (added.isEmpty()) return;
    catchUp.addAll(sync.filmFilters(added, null));
    catchUp.addAll(sync.advertFilters(added, null));
    nextFilter();
  }

  /** While caught up and connected, everything the upstream stored until now has arrived. */
  synchronized void checkpoint() {
    if (socket != null && caughtUp) {
      cursors.save(uri, sync.now());
      inStepAt = sync.now();
    }
  }

  /** 0 while connected and caught up (live events arrive as they are stored); else seconds since last in step. */
  synchronized double lagSeconds() {
    if (socket != null && caughtUp) return 0;
    return inStepAt < 0 ? Double.NaN : Math.max(0, sync.now() - inStepAt);
  }


  private synchronized int failures() {
    return failures;
  }

  synchronized void close() {
    closed = true;
    if (socket != null) socket.abort();
    socket = null;
  }

  private void handle(String message) {
    try (JsonParser p = EventParser.JSON.createParser(message)) {
      if (p.nextToken() != JsonToken.START_ARRAY || p.nextToken() != JsonToken.VALUE_STRING) return;
      String type = p.getText();
      if (p.nextToken() != JsonToken.VALUE_STRING) return;
      String sub = p.getText();
      switch (type) {
        case "EVENT" -> {
          if (p.nextToken() == JsonToken.START_OBJECT) received(sub, PARSER.read(p));
        }
        case "EOSE" -> endOfStored(sub);
        case "CLOSED" -> {
          p.nextToken();
          log.warn("upstream {} closed subscription {}: {}", uri, sub, p.getValueAsString(""));
          endOfStored(sub);
        }
        default -> { } // AUTH, NOTICE, OK: nothing to do for a read-only client
      }
    } catch (IOException | InvalidEventException e) {
      log.debug("ignoring a message from {}: {}", uri, e.getMessage());
    }
  }

  private synchronized void received(String sub, Event event) {
    if (socket == null || !sync.wanted(event)) return;
    CompletableFuture<?> ingest = sync.ingest(event).whenComplete((published, failure) -> ingested());
    inFlight++;
    sessionEvents++;
    if (sub.equals(pageSub)) {
      pageOldest = Math.min(pageOldest, event.createdAt());
      pageCount++;
      if (pageSeen.add(event.id())) pageFresh++;
      pageIngests.add(ingest);
    }
  }

  private synchronized void ingested() {
    inFlight--;
    if (starved && inFlight < WINDOW && socket != null) {
      starved = false;
      socket.request(1);
    }
  }

  private synchronized void endOfStored(String sub) {
    if (!sub.equals(pageSub)) return;
    send("CLOSE", sub);
    pageSub = null;
    WebSocket session = socket;
    CompletableFuture.allOf(pageIngests.toArray(CompletableFuture[]::new))
        .handle((v, failure) -> null)
        .thenCompose(v -> sync.settled())
        .whenComplete((v, failure) -> pageDone(session));
  }

  /** After a page's events are stored and indexed: the next page of the filter, or the next filter. */
  private synchronized void pageDone(WebSocket session) {
    if (socket != session || socket == null) return;
    if (pageFresh > 0) {
      sendPage(pageOldest);
    } else if (pageUntil != null && pageCount >= PAGE && pageOldest == pageUntil) {
      // A full page inside one second, all seen already: step past that second.
      sendPage(pageUntil - 1);
    } else {
      paging = null;
      nextFilter();
    }
  }

  private void nextFilter() {
    while (paging == null) {
      Object next = catchUp.poll();
      if (next == null) {
        if (!caughtUp) {
          caughtUp = true;
          cursors.save(uri, sessionStart);
          inStepAt = sessionStart;
          log.info("film sync {}: caught up ({} events received in {} s); following live", uri, sessionEvents,
              sync.now() - sessionStart);
        }
        return;
      }
      switch (next) {
        case Phase phase -> {
          List<ObjectNode> filters = expand(phase);
          for (int i = filters.size() - 1; i >= 0; i--) catchUp.addFirst(filters.get(i));
        }
        case ObjectNode filter -> {
          paging = filter;
          pageSeen = new HashSet<>();
          sendPage(null);
        }
        default -> throw new IllegalStateException("unexpected catch-up item " + next);
      }
    }
  }

  private List<ObjectNode> expand(Phase phase) {
    return switch (phase) {
      case LISTS -> sync.listFilters();
      case FILMS -> sync.filmFilters(sync.trusted(), since);
      case ADVERTS -> sync.advertFilters(sync.trusted(), since);
    };
  }

  private void sendPage(Long until) {
    pageSub = "catchup-" + (++pages);
    pageUntil = until;
    pageOldest = Long.MAX_VALUE;
    pageFresh = 0;
    pageCount = 0;
    pageIngests = new ArrayList<>();
    ObjectNode filter = paging.deepCopy();
    filter.put("limit", PAGE);
    if (until != null) filter.put("until", until);
    sendReq(pageSub, List.of(filter));
  }

  private void sendLive() {
    List<ObjectNode> filters = sync.liveFilters(sessionStart);
    if (filters.isEmpty()) send("CLOSE", LIVE);
    else sendReq(LIVE, filters);
  }

  private void sendReq(String sub, List<ObjectNode> filters) {
    ArrayNode req = UpstreamSync.JSON.createArrayNode().add("REQ").add(sub);
    filters.forEach(req::add);
    send(req.toString());
  }

  private void send(String type, String sub) {
    send(UpstreamSync.JSON.createArrayNode().add(type).add(sub).toString());
  }

  private void send(String text) {
    WebSocket ws = socket;
    if (ws == null) return;
    // The JDK client allows one outstanding send; text frames from this link are queued behind each other.
    synchronized (sendLock) {
      lastSend = lastSend.handle((v, failure) -> null).thenCompose(v -> ws.sendText(text, true));
    }
  }

  private void dropped(WebSocket ws) {
    synchronized (this) {
      if (socket != ws) return;
      socket = null;
      paging = null;
      pageSub = null;
      catchUp.clear();
    }
    retryLater();
  }

  private void retryLater() {
    long delay;
    synchronized (this) {
      if (closed) return;
      long base = Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS << Math.min(failures, 16));
      delay = base + ThreadLocalRandom.current().nextLong(base / 4 + 1);
      failures++;
    }
    sync.scheduler().schedule(this::connect, delay, TimeUnit.MILLISECONDS);
  }
}
