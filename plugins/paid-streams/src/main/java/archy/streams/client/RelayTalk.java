package archy.streams.client;

import archy.nostr.Event;
import archy.nostr.EventParser;
import archy.nostr.EventSigner;
import archy.nostr.InvalidEventException;
import archy.nostr.Keys;
import archy.nostr.Kinds;
import archy.nostr.RelaySocket;
import archy.nostr.Schnorr;
import archy.streams.Offer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

/** The requests the stream commands make of a relay, one answer at a time: AUTH, the offer, the newest seq, EVENT. */
final class RelayTalk {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final Duration TIMEOUT = Duration.ofSeconds(15);
  private static final EventParser PARSER = new EventParser(Schnorr.verifier());

  private RelayTalk() {}

  /** Answers the relay's NIP-42 challenge (sent when the connection opens) as {@code keys}. */
  static void authenticate(RelaySocket socket, Keys keys, String relay, Clock clock)
      throws IOException, InterruptedException, StreamException {
    Instant deadline = clock.instant().plus(TIMEOUT);
    while (clock.instant().isBefore(deadline)) {
      JsonNode m = socket.poll(Duration.between(clock.instant(), deadline));
      if (m == null) break;
      if (!m.path(0).asText().equals("AUTH")) continue;
      Event auth = EventSigner.sign(keys, clock.millis() / 1000, Kinds.AUTH,
          List.of(List.of("relay", relay), List.of("challenge", m.path(1).asText())), "");
      socket.send("[\"AUTH\"," + auth.json() + "]");
      JsonNode ok = until(socket, r -> r.path(0).asText().equals("OK") && r.path(1).asText().equals(auth.id()));
      if (!ok.path(2).asBoolean()) throw new StreamException(1, "the relay refused our AUTH: " + ok.path(3).asText());
      return;
    }
    throw new StreamException(1, "the relay sent no NIP-42 AUTH challenge; a paid stream is read after AUTH");
  }

  /** The stream's newest kind 30083 offer on the relay, signature checked. */
  static Offer offer(RelaySocket socket, StreamAddress s, String relay, PrintStream err)
      throws IOException, InterruptedException, StreamException {
    String filter = "{\"kinds\":[30083],\"authors\":[\"" + s.publisher() + "\"],\"#d\":[" + JSON.writeValueAsString(s.d())
        + "],\"limit\":1}";
    Offer found = null;
    for (Event e : query(socket, "offer", filter)) {
      try {
        if (e.kind() == Offer.KIND && e.pubkey().equals(s.publisher()) && s.d().equals(e.firstTagValue("d"))) {
          found = Offer.parse(e);
        }
      } catch (IllegalArgumentException bad) {
        err.println("archy stream: the relay sent an unusable offer: " + bad.getMessage());
      }
    }
    if (found == null) throw new StreamException(1, "no offer " + s.coordinate() + " on " + relay);
    return found;
  }

  /**
   * The highest seq of the stream's stored observations the relay lets this connection read (0: none). The newest
   * by {@code created_at} first, then every one of that second: observations published within one second tie.
   */
  static long newestSeq(RelaySocket socket, Offer offer) throws IOException, InterruptedException, StreamException {
    String filter = "{\"kinds\":[" + offer.observationKind() + "],\"authors\":[\"" + offer.publisher() + "\"],\"#a\":["
        + JSON.writeValueAsString(offer.address()) + "]";
    List<Event> newest = query(socket, "newest", filter + ",\"limit\":1}");
    if (newest.isEmpty()) return 0;
    long seq = 0;
    for (Event e : query(socket, "newest", filter + ",\"since\":" + newest.getFirst().createdAt() + "}")) {
      try {
        seq = Math.max(seq, Offer.seq(e));
      } catch (IllegalArgumentException noSeq) {
        // not an observation the relay should have accepted: it names no seq to go on from
      }
    }
    return seq;
  }

  /** Publishes {@code event}; the relay's OK message, or an exception with its reason when it refused. */
  static String publish(RelaySocket socket, Event event) throws IOException, InterruptedException, StreamException {
    socket.send("[\"EVENT\"," + event.json() + "]");
    JsonNode ok = until(socket, r -> r.path(0).asText().equals("OK") && r.path(1).asText().equals(event.id()));
    if (!ok.path(2).asBoolean()) throw new StreamException(1, "the relay refused event " + event.id() + ": " + ok.path(3).asText());
    return ok.path(3).asText();
  }

  /** The stored events of one REQ up to EOSE (then CLOSEd), signatures checked; CLOSED is an error. */
  private static List<Event> query(RelaySocket socket, String sub, String filter)
      throws IOException, InterruptedException, StreamException {
    socket.send("[\"REQ\",\"" + sub + "\"," + filter + "]");
    List<Event> events = new java.util.ArrayList<>();
    while (true) {
      JsonNode m = until(socket, r -> r.path(1).asText().equals(sub));
      switch (m.path(0).asText()) {
        case "EVENT" -> {
          try {
            events.add(PARSER.parse(m.path(2).toString()));
          } catch (InvalidEventException e) {
            // a relay's garbage is not the stream's: skipped
          }
        }
        case "EOSE" -> {
          socket.send("[\"CLOSE\",\"" + sub + "\"]");
          return events;
        }
        case "CLOSED" -> throw new StreamException(1, "the relay refused the query: " + m.path(2).asText());
        default -> { }
      }
    }
  }

  /** The next message that {@code wanted} accepts; others (notices, a late challenge) are dropped. */
  static JsonNode until(RelaySocket socket, Predicate<JsonNode> wanted) throws IOException, InterruptedException {
    for (JsonNode m = socket.next(TIMEOUT); ; m = socket.next(TIMEOUT)) {
      if (wanted.test(m)) return m;
    }
  }
}
