package archy.streams.client;

import archy.ecash.request.InvalidPaymentRequestException;
import archy.ecash.request.PaymentRequest;
import archy.nostr.Event;
import archy.nostr.EventParser;
import archy.nostr.EventSigner;
import archy.nostr.InvalidEventException;
import archy.nostr.Keys;
import archy.nostr.Kinds;
import archy.nostr.Nip44;
import archy.nostr.RelaySocket;
import archy.nostr.Schnorr;
import archy.paidblobs.client.AutoPayConfig;
import archy.paidblobs.client.PaymentRefusedException;
import archy.paidblobs.client.Spending;
import archy.paidblobs.client.TokenSource;
import archy.streams.Offer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The subscriber of one paid stream (PROTOCOLS.md §7): authenticates (NIP-42), reads the offer, subscribes to its
 * observations and prints each new one once, as a JSON line, in seq order. A {@code payment-required} NOTICE is
 * answered with a kind 21083 payment (a token from the wallet, NIP-44 to the relay's key) within the payer's caps
 * ({@link Spending}) and the half-cadence rule ({@link PayThrottle}); after twice the cadence without an
 * observation the last payment event is sent again ("I'm back, resend"). A lost connection is opened again: the
 * relay keeps what was paid and delivered, re-sends that free, and this side prints only what is new.
 *
 * <p>One thread does everything, waiting on the socket until the next thing due (a scheduled payment, a resend),
 * so there is nothing to race.
 */
public final class StreamSubscriber {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
  private static final String SUB = "stream";

  /**
   * @param buy observations each payment buys
   * @param count stop after printing this many new observations (0: never)
   * @param sinceSeq print only observations above this seq (what an earlier run already has)
   */
  public record Options(String relay, StreamAddress stream, Keys keys, long buy, long count, long sinceSeq) {
    public Options {
      if (buy < 1) throw new IllegalArgumentException("--buy must be at least 1");
      if (count < 0 || sinceSeq < 0) throw new IllegalArgumentException("--count and --since-seq must not be negative");
    }
  }

  /** How a run ended: the exit code of {@code archy stream subscribe} and why. */
  public record Outcome(int exitCode, String reason, long printed, long paidSats, int payments) {}

  private final Options options;
  private final TokenSource tokens;
  private final AutoPayConfig caps;
  private Spending spending;
  private final Clock clock;
  private final PrintStream out;
  private final PrintStream err;
  private final EventParser parser = new EventParser(Schnorr.verifier());
  private final String host;

  private long lastSeq;
  private long printed;
  private long paidSats;
  private int payments;
  private Event lastPayment;
  private PayThrottle throttle;
  private Offer offer;

  /**
   * @param caps the payer's caps ({@code [paid-blobs.client]}); when the offer names no cadence, its
   *     {@code min_pay_interval_seconds} stands in for the half cadence
   */
  public StreamSubscriber(Options options, TokenSource tokens, AutoPayConfig caps, Clock clock, PrintStream out,
                          PrintStream err) {
    this.options = options;
    this.tokens = tokens;
    this.caps = caps;
    this.clock = clock;
    this.out = out;
    this.err = err;
    this.host = RelayInfo.host(options.relay());
    this.lastSeq = options.sinceSeq();
  }

  /** Runs until {@code count} observations were printed, a payment is refused, or the thread is interrupted. */
  public Outcome run() throws InterruptedException {
    String relayKey;
    try {
      relayKey = RelayInfo.pubkey(options.relay());
    } catch (IOException e) {
      return new Outcome(1, "cannot read the relay's NIP-11 pubkey: " + e.getMessage(), 0, 0, 0);
    }
    Duration backoff = Duration.ofSeconds(1);
    while (!done()) {
      try (RelaySocket socket = RelaySocket.connect(options.relay())) {
        session(socket, relayKey);
        break;
      } catch (IOException e) {
        if (subscribed) backoff = Duration.ofSeconds(1); // it was up: the first retry comes soon again
        subscribed = false;
        err.println("archy stream: " + e.getMessage() + "; connecting again in " + backoff.toSeconds() + " s");
      } catch (StreamException stop) {
        return new Outcome(stop.code(), stop.getMessage(), printed, paidSats, payments);
      }
      Thread.sleep(backoff.toMillis());
      backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
    }
    return new Outcome(0, "done", printed, paidSats, payments);
  }

  private boolean done() {
    return options.count() > 0 && printed >= options.count();
  }

  /** One connection: AUTH, the offer, the subscription, then messages until done or the connection drops. */
  private void session(RelaySocket socket, String relayKey) throws IOException, InterruptedException, StreamException {
    RelayTalk.authenticate(socket, options.keys(), options.relay(), clock);
    offer = RelayTalk.offer(socket, options.stream(), options.relay(), err);
    if (throttle == null) {
      Duration gap = offer.cadenceSeconds() > 0 ? Duration.ofMillis(offer.cadenceSeconds() * 500) : caps.minPayInterval();
      throttle = new PayThrottle(gap);
      // The caps hold the same interval per stream: a second guard, should the schedule ever be wrong.
      spending = new Spending(caps.withMinPayInterval(gap), clock);
    }
    err.println("archy stream: " + offer.address() + " (" + (offer.title().isEmpty() ? "untitled" : offer.title()) + "), "
        + (offer.priced() ? offer.priceSats() + " sat per observation" : "free") + ", cadence "
        + (offer.cadenceSeconds() > 0 ? offer.cadenceSeconds() + " s" : "not given"));
    ObjectNode filter = JSON.createObjectNode();
    filter.putArray("kinds").add(offer.observationKind());
    filter.putArray("authors").add(offer.publisher());
    filter.putArray("#a").add(offer.address());
    socket.send("[\"REQ\",\"" + SUB + "\"," + filter + "]");
    subscribed = true;
    List<Event> stored = new ArrayList<>();
    boolean live = false;
    heard = clock.instant();
    while (!done()) {
      Instant now = clock.instant();
      if (throttle.due(now)) {
        if (retry) {
          // The relay could not process the last payment: the same event again, not a new token.
          socket.send("[\"EVENT\"," + lastPayment.json() + "]");
          throttle.paid(now);
          retry = false;
        } else {
          pay(socket, relayKey, null);
        }
      }
      Duration silence = Duration.ofSeconds(offer.cadenceSeconds() * 2);
      if (lastPayment != null && offer.cadenceSeconds() > 0 && !now.isBefore(heard.plus(silence))) {
        err.println("archy stream: nothing for " + silence.toSeconds() + " s; sending the last payment again");
        socket.send("[\"EVENT\"," + lastPayment.json() + "]");
        heard = now;
      }
      JsonNode m = socket.poll(untilNext(now));
      if (m == null) continue;
      switch (m.path(0).asText()) {
        case "EVENT" -> {
          if (!m.path(1).asText().equals(SUB)) continue;
          Event e = observation(m.path(2));
          if (e == null) continue;
          heard = clock.instant();
          if (live) print(e);
          else stored.add(e);
        }
        case "EOSE" -> {
          if (!m.path(1).asText().equals(SUB) || live) continue;
          // A stored query comes newest first; what is printed goes in seq order.
          stored.sort(Comparator.comparingLong(Offer::seq));
          for (Event e : stored) print(e);
          stored.clear();
          live = true;
        }
        case "NOTICE" -> {
          String text = m.path(1).asText();
          String prefix = "payment-required: " + offer.address() + " ";
          if (!text.startsWith(prefix)) {
            err.println("archy stream: the relay says: " + text);
            continue;
          }
          if (throttle.want(clock.instant())) {
            pay(socket, relayKey, text.substring(prefix.length()).strip());
          }
        }
        case "OK" -> answered(m);
        case "CLOSED" -> {
          if (m.path(1).asText().equals(SUB)) throw new StreamException(1, "the relay closed the subscription: " + m.path(2).asText());
        }
        default -> { }
      }
    }
  }

  private Duration untilNext(Instant now) {
    Instant next = now.plusSeconds(1);
    if (throttle.scheduled() != null && throttle.scheduled().isBefore(next)) next = throttle.scheduled();
    if (lastPayment != null && offer.cadenceSeconds() > 0) {
      Instant resend = heard.plusSeconds(offer.cadenceSeconds() * 2);
      if (resend.isBefore(next)) next = resend;
    }
    Duration wait = Duration.between(now, next);
    return wait.isNegative() ? Duration.ZERO : wait;
  }

  /** A signed observation of this stream, or null (anything else a relay might send is not printed). */
  private Event observation(JsonNode json) {
    try {
      Event e = parser.parse(json.toString());
      if (e.kind() != offer.observationKind() || !e.pubkey().equals(offer.publisher())) return null;
      boolean ofThisStream = e.tags().stream()
          .anyMatch(t -> t.size() >= 2 && t.get(0).equals("a") && t.get(1).equals(offer.address()));
      if (!ofThisStream) return null;
      Offer.seq(e);
      return e;
    } catch (InvalidEventException | IllegalArgumentException e) {
      err.println("archy stream: skipped an invalid observation: " + e.getMessage());
      return null;
    }
  }

  private void print(Event e) {
    long seq = Offer.seq(e);
    if (seq <= lastSeq) return; // re-sent free after a reconnect or a resend: printed before
    lastSeq = seq;
    printed++;
    out.println(e.json());
    out.flush();
  }

  /**
   * Pays for {@code buy} observations: caps first (reserved before the token exists), then a token from a mint the
   * relay's request names (or the wallet's allow-list when it names none), then the 21083 event.
   */
  private void pay(RelaySocket socket, String relayKey, String request) throws StreamException {
    List<String> mints = List.of();
    if (request != null) {
      try {
        PaymentRequest r = PaymentRequest.decode(request);
        if (r.unit() != null && !r.unit().equals("sat")) throw new StreamException(2, "the relay asks for unit " + r.unit() + ", not sat");
        if (r.mints() != null) mints = r.mints();
      } catch (InvalidPaymentRequestException e) {
        err.println("archy stream: the payment request is unreadable (" + e.getMessage() + "); paying the offer's price");
      }
    }
    if (mints.isEmpty() && lastMints != null) mints = lastMints;
    long sats = Math.multiplyExact(offer.priceSats(), options.buy());
    Optional<String> refused = spending.reserve(host, offer.address(), sats);
    if (refused.isPresent()) throw new StreamException(2, "not paid: " + refused.get());
    String token;
    try {
      token = tokens.token(mints, sats, spending.budget(host));
    } catch (PaymentRefusedException e) {
      spending.release(host, offer.address(), sats);
      throw new StreamException(2, "not paid: " + e.getMessage());
    } catch (Exception e) {
      spending.release(host, offer.address(), sats);
      throw new StreamException(1, "the wallet could not make a token: " + e.getMessage());
    }
    lastMints = mints;
    String body = JSON.createObjectNode().put("token", token).toString();
    Event payment = EventSigner.sign(options.keys(), clock.millis() / 1000, Offer.PAYMENT_KIND,
        List.of(List.of("a", offer.address())),
        Nip44.encrypt(body, Nip44.conversationKey(options.keys().secretHex(), relayKey)));
    socket.send("[\"EVENT\"," + payment.json() + "]");
    throttle.paid(clock.instant());
    heard = clock.instant();
    lastPayment = payment;
    paidSats += sats;
    payments++;
    err.println("archy stream: paid " + sats + " sat for " + options.buy() + " observation" + (options.buy() == 1 ? "" : "s"));
  }

  private List<String> lastMints;
  private boolean retry;
  /** When the last observation came, or the last payment went: the silence a resend waits out starts there. */
  private Instant heard;
  private boolean subscribed;

  /** The relay's answer to a payment (or a resend): a refusal stops the run, the payer's token is spent or bad. */
  private void answered(JsonNode ok) throws StreamException {
    if (lastPayment == null || !ok.path(1).asText().equals(lastPayment.id())) return;
    String message = ok.path(3).asText();
    if (ok.path(2).asBoolean()) {
      if (message.startsWith("duplicate:")) err.println("archy stream: the relay resends what was paid");
      return;
    }
    if (message.startsWith("error:")) {
      // The relay could not process it now: the same event again when the cool-down allows (no new token).
      err.println("archy stream: the relay could not take the payment (" + message + "); sending it again");
      retry = true;
      throttle.schedule(clock.instant());
      return;
    }
    throw new StreamException(2, "the relay refused the payment: " + message);
  }
}
