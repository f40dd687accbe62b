package archy.negentropy;

import archy.nostr.Event;
import archy.nostr.EventParser;
import archy.nostr.Filter;
import archy.nostr.FilterParser;
import archy.nostr.Hex;
import archy.nostr.InvalidEventException;
import archy.nostr.InvalidFilterException;
import archy.nostr.RelaySocket;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Our events against a remote relay's, the one path {@code archy sync} and film-catalog's upstream sync share:
 * NIP-77 first (one negentropy session finds the ids each side lacks; {@code down} fetches the remote's by REQ in
 * id batches, {@code up} publishes ours by EVENT, waiting for each OK). A relay that refuses it (NEG-ERR, a NOTICE
 * from a relay without NIP-77, or no answer within the open timeout) is read by paging REQs instead
 * ({@link PagedFetch}): everything it holds for the filter comes down, so both sides' differences are known too.
 * Fetched events have their signatures verified and go through {@link LocalSide#save}. Use one instance per
 * relay: it remembers a relay without NIP-77 and pages its later filters at once.
 */
public final class RelaySync {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int FRAME_BYTES = 60_000;
  private static final int BATCH = 500;
  private static final Duration WAIT = Duration.ofSeconds(60);
  /** Long enough for a relay to read a large set (100k records take about 2.5 s cold here), short for a silent one. */
  public static final Duration OPEN_TIMEOUT = Duration.ofSeconds(15);

  public enum Method {
    NEGENTROPY("NIP-77 negentropy"), PAGING("paging REQs");

    private final String label;

    Method(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /** {@code have}: ids only here; {@code need}: ids only there; {@code roundTrips}: negentropy rounds or REQ pages. */
  public record Report(Method method, String refusal, int have, int need, int fetched, int stored, int published,
                       int refused, long bytesSent, long bytesReceived, int roundTrips) {}

  /** Thrown inside when the relay refuses the session: the caller pages instead. */
  private static final class Unsupported extends Exception {
    /** A NOTICE or silence: the relay has no NIP-77 at all (a NEG-ERR may be about this filter only). */
    final boolean lacksNip77;

    Unsupported(String message, boolean lacksNip77) {
      super(message, null, false, false);
      this.lacksNip77 = lacksNip77;
    }
  }

  private final LocalSide local;
  private final EventParser parser;
  private final Consumer<String> progress;
  private final Duration openTimeout;
  private int sessions;
  /** Set once the relay showed it has no NIP-77: later filters page at once instead of waiting to be refused. */
  private String lacksNip77;

  public RelaySync(LocalSide local, EventParser parser, Consumer<String> progress, Duration openTimeout) {
    this.local = local;
    this.parser = parser;
    this.progress = progress;
    this.openTimeout = openTimeout;
  }

  public Report sync(String url, ObjectNode filter, boolean down, boolean up) throws IOException, InterruptedException {
    return sync(url, filter, null, down, up);
  }

  /**
   * @param pagingSince when paging, ask only for events from this time on (a caller's cursor); negentropy always
   *                    reconciles the whole filter, which costs little when the sides mostly agree
   */
  public Report sync(String url, ObjectNode filter, Long pagingSince, boolean down, boolean up)
      throws IOException, InterruptedException {
    try (RelaySocket ws = RelaySocket.connect(url)) {
      return sync(ws, url, filter, pagingSince, down, up);
    }
  }

  /** Over a socket already open to {@code url}; one filter after another may share it. */
  public Report sync(RelaySocket ws, String url, ObjectNode filter, Long pagingSince, boolean down, boolean up)
      throws IOException, InterruptedException {
    long sent = ws.bytesSent();
    long received = ws.bytesReceived();
    Report r;
    try {
      if (lacksNip77 != null) throw new Unsupported(lacksNip77, true);
      r = negentropy(ws, url, filter, down, up);
    } catch (Unsupported refused) {
      if (refused.lacksNip77) lacksNip77 = refused.getMessage();
      progress.accept(refused.getMessage() + "; paging with REQ instead");
      ObjectNode windowed = filter.deepCopy();
      if (pagingSince != null && (!filter.has("since") || filter.get("since").asLong() < pagingSince)) {
        windowed.put("since", pagingSince);
      }
      r = paging(ws, url, windowed, down, up, refused.getMessage());
    }
    return new Report(r.method(), r.refusal(), r.have(), r.need(), r.fetched(), r.stored(), r.published(),
        r.refused(), ws.bytesSent() - sent, ws.bytesReceived() - received, r.roundTrips());
  }

  private Report negentropy(RelaySocket ws, String url, ObjectNode filterJson, boolean down, boolean up)
      throws IOException, InterruptedException, Unsupported {
    Storage.Builder ours = new Storage.Builder();
    Filter filter = parse(filterJson);
    local.records(filter, localLimit(filter), r -> {
      ours.add(r.createdAt(), r.id());
      return true;
    });
    progress.accept("local: " + ours.size() + " events match the filter");
    Negentropy neg = new Negentropy(ours.seal(), FRAME_BYTES);
    Set<String> have = new LinkedHashSet<>();
    Set<String> need = new LinkedHashSet<>();
    // A fresh id per session: a late answer to one the relay was too slow for cannot be read as this one's.
    String sub = "sync-" + (++sessions);
    String close = JSON.createArrayNode().add("NEG-CLOSE").add(sub).toString();
    ArrayNode open = JSON.createArrayNode().add("NEG-OPEN").add(sub);
    open.add(filterJson);
    open.add(Hex.encode(neg.initiate()));
    ws.send(JSON.writeValueAsString(open));
    int rounds = 0;
    while (true) {
      JsonNode m = ws.poll(rounds == 0 ? openTimeout : WAIT);
      if (m == null) {
        ws.send(close);
        if (rounds == 0) {
          throw new Unsupported(url + " did not answer NEG-OPEN within " + openTimeout.toMillis() + " ms", true);
        }
        throw new IOException(url + " stopped answering NEG-MSG for " + WAIT.toSeconds() + " s");
      }
      String type = m.path(0).asText();
      // A relay without NIP-77 answers an unknown message with a NOTICE; later NOTICEs are not about the session.
      if (type.equals("NOTICE") && rounds == 0) {
        throw new Unsupported(url + " refused NIP-77: " + m.path(1).asText(), true);
      }
      if (type.equals("NEG-ERR") && m.path(1).asText().equals(sub)) {
        throw new Unsupported(url + " refused NIP-77: " + m.path(2).asText(), false);
      }
      if (!type.equals("NEG-MSG") || !m.path(1).asText().equals(sub)) continue; // AUTH challenge etc.
      rounds++;
      Negentropy.Reply reply;
      try {
        reply = neg.reconcile(Hex.decode(m.path(2).asText()));
      } catch (NegentropyException | IllegalArgumentException e) {
        ws.send(close);
        throw new Unsupported(url + " sent a negentropy message we cannot read (" + e.getMessage() + ")", true);
      }
      have.addAll(reply.have());
      need.addAll(reply.need());
      if (reply.next() == null) break;
      ws.send(JSON.writeValueAsString(JSON.createArrayNode().add("NEG-MSG").add(sub)
          .add(Hex.encode(reply.next()))));
    }
    ws.send(close);
    progress.accept("reconciled by NIP-77 in " + rounds + " round trips: " + have.size() + " only here, "
        + need.size() + " only on " + url);
    int[] fetched = down ? fetch(ws, new ArrayList<>(need)) : new int[2];
    int[] published = up ? publish(ws, new ArrayList<>(have)) : new int[2];
    return new Report(Method.NEGENTROPY, null, have.size(), need.size(), fetched[0], fetched[1], published[0],
        published[1], 0, 0, rounds);
  }

  private Report paging(RelaySocket ws, String url, ObjectNode filterJson, boolean down, boolean up, String refusal)
      throws IOException, InterruptedException {
    Filter filter = parse(filterJson);
    Set<String> ours = new HashSet<>();
    local.records(filter, localLimit(filter), r -> ours.add(r.id()));
    progress.accept("local: " + ours.size() + " events match the filter");
    Set<String> theirs = new HashSet<>();
    int[] counts = new int[3]; // need, fetched, stored
    PagedFetch pages = new PagedFetch(ws, parser, progress);
    pages.fetch(filterJson, filter, theirs, fresh -> {
      List<CompletableFuture<Boolean>> saves = new ArrayList<>();
      for (Event e : fresh) {
        if (ours.contains(e.id())) continue;
        counts[0]++;
        if (down) saves.add(local.save(e));
      }
      counts[1] += saves.size();
      counts[2] += stored(saves);
      if (down) progress.accept("down: " + counts[1] + " fetched in " + pages.pages() + " pages");
    });
    List<String> have = ours.stream().filter(id -> !theirs.contains(id)).toList();
    progress.accept("paged " + theirs.size() + " events in " + pages.pages() + " pages: " + have.size()
        + " only here, " + counts[0] + " only on " + url);
    int[] published = up ? publish(ws, have) : new int[2];
    return new Report(Method.PAGING, refusal, have.size(), counts[0], counts[1], counts[2], published[0],
        published[1], 0, 0, pages.pages());
  }

  /** Returns {fetched, stored}. */
  private int[] fetch(RelaySocket ws, List<String> ids) throws IOException, InterruptedException {
    int fetched = 0;
    int stored = 0;
    for (int i = 0; i < ids.size(); i += BATCH) {
      List<String> batch = ids.subList(i, Math.min(ids.size(), i + BATCH));
      Set<String> wanted = new HashSet<>(batch);
      ArrayNode req = JSON.createArrayNode().add("REQ").add("fetch");
      ArrayNode idArray = req.addObject().put("limit", batch.size()).putArray("ids");
      batch.forEach(idArray::add);
      ws.send(JSON.writeValueAsString(req));
      List<CompletableFuture<Boolean>> saves = new ArrayList<>();
      while (true) {
        JsonNode m = ws.next(WAIT);
        String type = m.path(0).asText();
        if (!m.path(1).asText().equals("fetch")) continue;
        if (type.equals("EOSE") || type.equals("CLOSED")) break;
        if (!type.equals("EVENT")) continue;
        try {
          Event e = parser.parse(JSON.writeValueAsString(m.path(2)));
          if (wanted.remove(e.id())) saves.add(local.save(e));
        } catch (InvalidEventException e) {
          progress.accept("skipped an invalid event from the relay: " + e.getMessage());
        }
      }
      ws.send("[\"CLOSE\",\"fetch\"]");
      fetched += saves.size();
      stored += stored(saves);
      progress.accept("down: " + fetched + " of " + ids.size() + " fetched");
    }
    return new int[] {fetched, stored};
  }

  /** Returns {published, refused}. */
  private int[] publish(RelaySocket ws, List<String> ids) throws IOException, InterruptedException {
    int published = 0;
    int refused = 0;
    for (int i = 0; i < ids.size(); i += BATCH) {
      List<String> batch = ids.subList(i, Math.min(ids.size(), i + BATCH));
      List<String> jsons = local.json(batch);
      for (String json : jsons) ws.send("[\"EVENT\"," + json + "]");
      int answered = 0;
      while (answered < jsons.size()) {
        JsonNode m = ws.next(WAIT);
        if (!m.path(0).asText().equals("OK")) continue;
        answered++;
        if (m.path(2).asBoolean() || m.path(3).asText().startsWith("duplicate:")) published++;
        else refused++;
      }
      progress.accept("up: " + (published + refused) + " of " + ids.size() + " sent, " + refused + " refused");
    }
    return new int[] {published, refused};
  }

  /** Waits for a batch's saves (so the next batch is asked for only once these are stored); how many were new. */
  private static int stored(List<CompletableFuture<Boolean>> saves) {
    CompletableFuture.allOf(saves.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
    return (int) saves.stream().filter(s -> !s.isCompletedExceptionally() && s.join()).count();
  }

  /** NIP-77 reconciles over a limited filter's newest {@code limit} matches, as a REQ returns them. */
  private static int localLimit(Filter filter) {
    return filter.limit() == null ? Integer.MAX_VALUE : filter.limit();
  }

  private static Filter parse(ObjectNode filterJson) {
    try {
      return new FilterParser(Integer.MAX_VALUE).parse(filterJson);
    } catch (InvalidFilterException e) {
      throw new IllegalArgumentException("not a NIP-01 filter: " + e.getMessage(), e);
    }
  }
}
