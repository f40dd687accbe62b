package archy.film.sync;

import archy.negentropy.RelaySync;
import archy.nostr.Event;
import archy.nostr.EventParser;
import archy.nostr.InvalidEventException;
import archy.nostr.RelaySocket;
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
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One upstream relay. On connect it opens a live subscription (events from now on), then catches up phase
 * by phase on a second connection: trust lists, then films, then adverts, each filter by {@link RelaySync} (NIP-77
 * where the upstream offers it, which needs no cursor; else REQ pages from the saved cursor). Films wait for the
 * lists to be applied, so publishers delegated upstream are asked for too. A dropped connection is retried with
 * exponential backoff (1 s doubling to 60 s, with jitter).
 *
 * <p>The JDK client calls the listener one message at a time; state shared with ingest completions, trust
 * changes and the catch-up thread is guarded by {@code this}. At most {@value #WINDOW} live events are in flight:
 * the socket is asked for the next message only when the store has room. The catch-up stores each batch before
 * it asks for the next, so a large catch-up cannot flood the node either.
 */
final class UpstreamLink implements WebSocket.Listener {
  private static final Logger log = LoggerFactory.getLogger(UpstreamLink.class);
  private static final int WINDOW = 64;
  private static final long MIN_BACKOFF_MS = 1_000, MAX_BACKOFF_MS = 60_000;
  private static final String LIVE = "live";
  private static final EventParser PARSER = new EventParser(Schnorr.verifier());

  private enum Phase { LISTS, FILMS, ADVERTS }

  /** A filter to catch up on; {@code pagingSince} applies only where the upstream has to be paged. */
  private record Pending(ObjectNode filter, Long pagingSince) {}

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
  private final Deque<Object> catchUp = new ArrayDeque<>(); // Phase or Pending
  /** The catch-up connection while its thread runs (closed to stop it), else null. */
  private RelaySocket catchUpSocket;
  private boolean catchingUp;
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
    inFlight = 0;
    starved = false;
    log.info("film sync {}: connected, catching up (by NIP-77, or paging from {})", uri,
        since == null ? "the beginning" : Instant.ofEpochSecond(since).toString());
    sendLive();
    startCatchUp();
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
    // Their whole history, by either method: the cursor says nothing about publishers trusted only now.
    sync.filmFilters(added, null).forEach(f -> catchUp.add(new Pending(f, null)));
    sync.advertFilters(added, null).forEach(f -> catchUp.add(new Pending(f, null)));
    startCatchUp();
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
    if (catchUpSocket != null) catchUpSocket.close();
    catchUpSocket = null;
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
        case "CLOSED" -> {
          p.nextToken();
          log.warn("upstream {} closed subscription {}: {}", uri, sub, p.getValueAsString(""));
        }
        default -> { } // EOSE, AUTH, NOTICE, OK: nothing to do for a read-only client
      }
    } catch (IOException | InvalidEventException e) {
      log.debug("ignoring a message from {}: {}", uri, e.getMessage());
    }
  }

  private synchronized void received(String sub, Event event) {
    if (socket == null || !sub.equals(LIVE) || !sync.wanted(event)) return;
    sync.ingest(event).whenComplete((published, failure) -> ingested());
    inFlight++;
    sessionEvents++;
  }

  private synchronized void ingested() {
    inFlight--;
    if (starved && inFlight < WINDOW && socket != null) {
      starved = false;
      socket.request(1);
    }
  }

  /** Runs the queued catch-up on a virtual thread of its own, unless one is running for this session already. */
  private void startCatchUp() {
    if (catchingUp || catchUp.isEmpty()) return;
    catchingUp = true;
    WebSocket session = socket;
    Thread.ofVirtual().name("film-sync-catchup").start(() -> catchUpOn(session));
  }

  /**
   * One connection for the whole queue; each filter reconciled and stored, and the index settled, before the
   * next: trust lists are applied before the films phase reads who is trusted.
   */
  private void catchUpOn(WebSocket session) {
    RelaySync reconcile = new RelaySync(sync.local(), PARSER, line -> log.debug("film sync {}: {}", uri, line),
        RelaySync.OPEN_TIMEOUT);
    int received = 0;
    Set<RelaySync.Method> methods = EnumSet.noneOf(RelaySync.Method.class);
    RelaySocket mine = null;
    try (RelaySocket ws = RelaySocket.connect(uri.toString())) {
      mine = ws;
      synchronized (this) {
        if (socket != session) return;
        catchUpSocket = ws;
      }
      while (true) {
        Object next;
        synchronized (this) {
          if (socket != session) return;
          next = catchUp.poll();
          if (next == null) {
            catchUpSocket = null;
            catchingUp = false; // from here trustChanged starts a new thread for what it adds
            caughtUp(received, methods);
            return;
          }
        }
        switch (next) {
          case Phase phase -> {
            sync.settled().join();
            List<Pending> filters = expand(phase);
            synchronized (this) {
              for (int i = filters.size() - 1; i >= 0; i--) catchUp.addFirst(filters.get(i));
            }
          }
          case Pending p -> {
            RelaySync.Report r = reconcile.sync(ws, uri.toString(), p.filter(), p.pagingSince(), true, false);
            sync.settled().join();
            sync.reconciled(uri, r.method());
            received += r.fetched();
            methods.add(r.method());
            log.debug("film sync {}: {} by {}: {} fetched, {} stored; {} bytes sent, {} received", uri, p.filter(),
                r.method().label(), r.fetched(), r.stored(), r.bytesSent(), r.bytesReceived());
          }
          default -> throw new IllegalStateException("unexpected catch-up item " + next);
        }
      }
    } catch (IOException | RuntimeException e) {
      catchUpFailed(session, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      synchronized (this) {
        if (socket == session && mine != null && catchUpSocket == mine) {
          catchUpSocket = null;
          catchingUp = false;
        }
      }
    }
  }

  private void caughtUp(int received, Set<RelaySync.Method> methods) {
    if (caughtUp) return;
    caughtUp = true;
    cursors.save(uri, sessionStart);
    inStepAt = sessionStart;
    log.info("film sync {}: caught up by {} ({} events received in {} s); following live", uri,
        methods.isEmpty() ? "no request (nothing to ask for)" : methods.stream().map(RelaySync.Method::label)
            .collect(Collectors.joining(" and ")), sessionEvents + received, sync.now() - sessionStart);
  }

  /** A catch-up that cannot finish leaves gaps the live subscription will not fill: start the session over. */
  private void catchUpFailed(WebSocket session, Exception e) {
    synchronized (this) {
      if (socket != session || closed) return; // dropped or closed meanwhile: that is why it failed
    }
    log.info("film sync {}: catch-up failed ({}), reconnecting", uri, e.getMessage() != null ? e.getMessage()
        : e.getClass().getSimpleName());
    session.abort();
    dropped(session);
  }

  private List<Pending> expand(Phase phase) {
    return switch (phase) {
      case LISTS -> sync.listFilters().stream().map(f -> new Pending(f, null)).toList();
      case FILMS -> sync.filmFilters(sync.trusted(), null).stream().map(f -> new Pending(f, since)).toList();
      case ADVERTS -> sync.advertFilters(sync.trusted(), null).stream().map(f -> new Pending(f, since)).toList();
    };
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
      catchUp.clear();
      catchingUp = false;
      if (catchUpSocket != null) catchUpSocket.close(); // its thread ends on the closed connection
      catchUpSocket = null;
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
