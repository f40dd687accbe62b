package archy.negentropy;

import archy.nostr.Event;
import archy.nostr.EventParser;
import archy.nostr.Filter;
import archy.nostr.InvalidEventException;
import archy.nostr.RelaySocket;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What a relay without NIP-77 allows: every event a filter matches, read newest first in REQ pages of at most
 * {@value #PAGE}, each next page ending ({@code until}) at the oldest second of the last. Pages overlap by that
 * second, so ids already seen are dropped; a full page inside one second that brought nothing new steps past it.
 * Each page is handed over, and stored, before the next is asked for: a large catch-up never floods the node.
 */
final class PagedFetch {
  static final int PAGE = 500;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(60);

  /** Takes a page's new events; returns once they are stored. */
  interface PageSink {
    void accept(List<Event> fresh) throws InterruptedException;
  }

  private final RelaySocket ws;
  private final EventParser parser;
  private final Consumer<String> progress;
  private int pages;

  PagedFetch(RelaySocket ws, EventParser parser, Consumer<String> progress) {
    this.ws = ws;
    this.parser = parser;
    this.progress = progress;
  }

  int pages() {
    return pages;
  }

  /**
   * Pages through the filter's matches (a {@code limit} in it caps the total), adding each id to {@code seen}
   * and handing the events not seen before to {@code sink}.
   */
  void fetch(ObjectNode filterJson, Filter filter, Set<String> seen, PageSink sink)
      throws IOException, InterruptedException {
    Integer cap = filter.limit();
    int size = cap == null ? PAGE : Math.min(PAGE, cap);
    if (size <= 0) return;
    Long until = filter.until();
    int total = 0;
    while (true) {
      String sub = "page-" + (++pages);
      ObjectNode f = filterJson.deepCopy();
      f.put("limit", size);
      if (until != null) f.put("until", until);
      ws.send(JSON.createArrayNode().add("REQ").add(sub).add(f).toString());
      long oldest = Long.MAX_VALUE;
      int count = 0;
      List<Event> fresh = new ArrayList<>();
      while (true) {
        JsonNode m = ws.next(WAIT);
        if (!m.path(1).asText().equals(sub)) continue;
        String type = m.path(0).asText();
        if (type.equals("EOSE")) break;
        if (type.equals("CLOSED")) {
          progress.accept("the relay closed page " + pages + ": " + m.path(2).asText());
          break;
        }
        if (!type.equals("EVENT")) continue;
        Event e;
        try {
          e = parser.parse(JSON.writeValueAsString(m.path(2)));
        } catch (InvalidEventException x) {
          progress.accept("skipped an invalid event from the relay: " + x.getMessage());
          continue;
        }
        if (!filter.matches(e)) continue; // only what was asked for, whatever the relay sends
        count++;
        oldest = Math.min(oldest, e.createdAt());
        if (seen.add(e.id())) fresh.add(e);
      }
      ws.send(JSON.createArrayNode().add("CLOSE").add(sub).toString());
      if (!fresh.isEmpty()) sink.accept(fresh);
      total += fresh.size();
      if (cap != null && total >= cap) return;
      if (!fresh.isEmpty()) {
        until = oldest;
      } else if (until != null && count >= size && oldest == until) {
        until = until - 1; // a full page inside one second, all seen already: step past that second
      } else {
        return;
      }
    }
  }
}
