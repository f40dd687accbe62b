package archy.negentropy;

import archy.nostr.RelaySocket;
import archy.nostr.Event;
import archy.nostr.EventParser;
import archy.nostr.Filter;
import archy.nostr.Hex;
import archy.nostr.InvalidEventException;
import archy.store.EventStore;
import archy.store.SaveResult;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Our store against a remote relay's by NIP-77: one negentropy session finds the ids each side lacks, then
 * {@code down} fetches the remote's by REQ (ids in batches; signatures verified, stored through the store's own
 * rules) and {@code up} publishes ours by EVENT (waiting for each OK).
 */
public final class RelaySync {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int FRAME_BYTES = 60_000;
  private static final int BATCH = 500;
  private static final Duration WAIT = Duration.ofSeconds(60);

  public record Report(int have, int need, int fetched, int stored, int published, int refused, long bytesSent,
                       long bytesReceived, int roundTrips) {}

  private final EventStore store;
  private final EventParser parser;
  private final Consumer<String> progress;

  public RelaySync(EventStore store, EventParser parser, Consumer<String> progress) {
    this.store = store;
    this.parser = parser;
    this.progress = progress;
  }

  /** Thrown when the relay refuses the session (NEG-ERR, or NOTICE from a relay without NIP-77). */
  public static final class Unsupported extends IOException {
    public Unsupported(String message) {
      super(message);
    }
  }

  public Report sync(String url, JsonNode filterJson, Filter filter, boolean down, boolean up, long now)
      throws IOException, InterruptedException {
    Storage.Builder ours = new Storage.Builder();
    store.records(filter, Integer.MAX_VALUE, now, r -> {
      ours.add(r.createdAt(), r.id());
      return true;
    });
    progress.accept("local: " + ours.size() + " events match the filter");
    try (RelaySocket ws = RelaySocket.connect(url)) {
      Negentropy neg = new Negentropy(ours.seal(), FRAME_BYTES);
      Set<String> have = new LinkedHashSet<>();
      Set<String> need = new LinkedHashSet<>();
      ArrayNode open = JSON.createArrayNode().add("NEG-OPEN").add("sync");
      open.add(filterJson);
      open.add(Hex.encode(neg.initiate()));
      ws.send(JSON.writeValueAsString(open));
      int rounds = 0;
      while (true) {
        JsonNode m = ws.next(WAIT);
        String type = m.path(0).asText();
        if (type.equals("NOTICE") || type.equals("NEG-ERR")) {
          throw new Unsupported(url + " refused negentropy: " + m.path(type.equals("NOTICE") ? 1 : 2).asText());
        }
        if (!type.equals("NEG-MSG") || !m.path(1).asText().equals("sync")) continue; // AUTH challenge etc.
        rounds++;
        Negentropy.Reply reply = neg.reconcile(Hex.decode(m.path(2).asText()));
        have.addAll(reply.have());
        need.addAll(reply.need());
        if (reply.next() == null) break;
        ws.send(JSON.writeValueAsString(JSON.createArrayNode().add("NEG-MSG").add("sync")
            .add(Hex.encode(reply.next()))));
      }
      ws.send("[\"NEG-CLOSE\",\"sync\"]");
      progress.accept("reconciled in " + rounds + " round trips: " + have.size() + " only here, " + need.size()
          + " only on " + url);
      int[] fetched = down ? fetch(ws, new ArrayList<>(need)) : new int[2];
      int[] published = up ? publish(ws, new ArrayList<>(have), now) : new int[2];
      return new Report(have.size(), need.size(), fetched[0], fetched[1], published[0], published[1], ws.bytesSent(),
          ws.bytesReceived(), rounds);
    }
  }

  /** Returns {fetched, stored}. */
  private int[] fetch(RelaySocket ws, List<String> ids) throws IOException, InterruptedException {
    int fetched = 0;
    int stored = 0;
    for (int i = 0; i < ids.size(); i += BATCH) {
      List<String> batch = ids.subList(i, Math.min(ids.size(), i + BATCH));
      ArrayNode req = JSON.createArrayNode().add("REQ").add("fetch");
      ArrayNode idArray = req.addObject().put("limit", batch.size()).putArray("ids");
      batch.forEach(idArray::add);
      ws.send(JSON.writeValueAsString(req));
      List<Event> events = new ArrayList<>();
      while (true) {
        JsonNode m = ws.next(WAIT);
        String type = m.path(0).asText();
        if (!m.path(1).asText().equals("fetch")) continue;
        if (type.equals("EOSE") || type.equals("CLOSED")) break;
        if (!type.equals("EVENT")) continue;
        try {
          Event e = parser.parse(JSON.writeValueAsString(m.path(2)));
          if (batch.contains(e.id())) events.add(e);
        } catch (InvalidEventException e) {
          progress.accept("skipped an invalid event from the relay: " + e.getMessage());
        }
      }
      ws.send("[\"CLOSE\",\"fetch\"]");
      fetched += events.size();
      for (Event e : events) {
        if (store.save(e).join() instanceof SaveResult.Saved) stored++;
      }
      progress.accept("down: " + fetched + " of " + ids.size() + " fetched");
    }
    return new int[] {fetched, stored};
  }

  /** Returns {published, refused}. */
  private int[] publish(RelaySocket ws, List<String> ids, long now) throws IOException, InterruptedException {
    int published = 0;
    int refused = 0;
    for (int i = 0; i < ids.size(); i += BATCH) {
      List<String> batch = ids.subList(i, Math.min(ids.size(), i + BATCH));
      List<String> jsons = new ArrayList<>();
      store.query(new Filter(Set.copyOf(batch), Set.of(), Set.of(), Map.of(), null, null, null), batch.size(), now,
          row -> jsons.add(row.json()));
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
}
