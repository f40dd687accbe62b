package archy.relaybw;

import archy.ecash.gate.Decision;
import archy.ecash.gate.PaymentGate;
import archy.ecash.gate.Redeem;
import archy.ecash.gate.Reservation;
import archy.ecash.request.PaymentRequest;
import archy.film.CatalogFilm;
import archy.film.FilmCatalog;
import archy.film.fetch.BlobFetcher;
import archy.nostr.Hex;
import archy.plugin.BlobInfo;
import archy.plugin.Blobs;
import archy.quic.QuicHandler;
import archy.quic.QuicReply;
import archy.quic.QuicRequest;
import archy.quic.QuicStatus;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code archy/relay/1} (PROTOCOLS.md §5.2): an authenticated requester pays this node's {@code relay-bandwidth}
 * price to have a public film's blob fetched (the local store, else seeders paid within this node's caps, else the
 * origins: film-catalog's {@link BlobFetcher}) and streamed on. The rails, in the order checked, each a refusal with
 * a reason and a count in {@code archy_relay_refused_total{reason}}: no §5.0 auth (401), content that is not
 * {@code blake3:<hex>}, {@code ttl} other than 1, {@code path[0]} not the requester (401), this node in {@code path}
 * (a loop), a blob of no trusted public film or of an encrypted one, {@code max_concurrent_per_peer} (429), the
 * session's {@code max_session_bytes}, an upstream priced above what the relay charges. A refused request, and one
 * not paid for, fetches nothing upstream.
 *
 * <p>Metering: the bytes handed to QUIC are debited from the requester's session in the gate's
 * {@code relay-bandwidth} service, scope {@link #SCOPE}, so they have their own ledger rows and a relay session's
 * credit never pays a direct download (nor the reverse: the gate keeps a balance per service and scope). A blob the
 * relay does not hold yet has no size until a source answers: the session must first hold credit for
 * {@link #FIRST_CREDIT_BYTES} (or the length asked, when smaller), and once the size is known its real length is
 * reserved; a shortfall then is a 402 for the rest, and the fetch goes on into the store, so the retry costs the
 * relay nothing more. Such a blob is passed on as it arrives ({@link BlobFetcher#open}); if its hashes fail at the
 * end (or the upstream breaks off) the stream is reset and nothing is debited: the requester does not pay for a
 * blob the relay could not deliver.
 */
final class RelayHandler implements QuicHandler {
  static final String ALPN = archy.film.fetch.RelayFetch.ALPN;
  static final String SERVICE = PaymentGate.RELAY_BANDWIDTH;
  /** The gate scope of every relay session: one balance per requester for whatever film it relays. */
  static final String SCOPE = "relay";
  /** Credit a session must hold before the relay fetches a blob it does not hold (whose size it cannot know yet). */
  static final long FIRST_CREDIT_BYTES = 1_000_000;
  static final List<String> REFUSALS = List.of("auth", "content", "ttl", "path", "loop", "not_film", "encrypted",
      "concurrency", "session_cap", "upstream_price", "range", "token", "upstream_failed");
  private static final Logger log = LoggerFactory.getLogger(RelayHandler.class);

  private final String self;
  private final PaymentGate gate;
  private final FilmCatalog catalog;
  private final Blobs blobs;
  private final BlobFetcher fetcher;
  private final RelayBandwidthConfig config;
  private final PeerSlots slots;
  private final MeterRegistry metrics;
  private final Counter relayedBytes;
  /** Bytes relayed per session since this process started, held against {@code max_session_bytes}. */
  private final ConcurrentHashMap<String, AtomicLong> sessionBytes = new ConcurrentHashMap<>();

  RelayHandler(String self, PaymentGate gate, FilmCatalog catalog, Blobs blobs, BlobFetcher fetcher,
               RelayBandwidthConfig config, MeterRegistry metrics) {
    this.self = self;
    this.gate = gate;
    this.catalog = catalog;
    this.blobs = blobs;
    this.fetcher = fetcher;
    this.config = config;
    this.slots = new PeerSlots(config.maxConcurrentPerPeer());
    this.metrics = metrics;
    for (String reason : REFUSALS) refusedCounter(reason);
    this.relayedBytes = Counter.builder("archy.relay.bytes").baseUnit("bytes")
        .description("Bytes relayed to requesters over archy/relay/1 (debited as relay-bandwidth)").register(metrics);
  }

  private Counter refusedCounter(String reason) {
    return Counter.builder("archy.relay.refused").tag("reason", reason)
        .description("archy/relay/1 requests refused, by rail").register(metrics);
  }

  private void refuse(QuicReply reply, RelayRequest.Refusal r) {
    refusedCounter(r.counter()).increment();
    ObjectNode header = QuicStatus.error(r.status(), r.reason());
    if (r.status() == 429) header.put("retry_after", 1);
    reply.answer(header);
  }

  private void refuse(QuicReply reply, int status, String counter, String reason) {
    refuse(reply, new RelayRequest.Refusal(status, counter, reason));
  }

  @Override
  public void handle(QuicRequest request, QuicReply reply) {
    switch (RelayRequest.parse(request.header(), request.peer().nodeKey(), self)) {
      case RelayRequest.Refused refused -> refuse(reply, refused.refusal());
      case RelayRequest.Ok ok -> {
        RelayRequest r = ok.request();
        if (!slots.acquire(r.requester())) {
          refuse(reply, 429, "concurrency", "rate-limited: more than " + config.maxConcurrentPerPeer()
              + " relay requests of this requester at once");
          return;
        }
        try {
          relay(r, reply);
        } finally {
          slots.release(r.requester());
        }
      }
    }
  }

  private void relay(RelayRequest r, QuicReply reply) {
    List<CatalogFilm> films = catalog.filmsWithBlob(r.blake3());
    if (films.isEmpty()) {
      refuse(reply, 400, "not_film", "not relayed: blake3:" + r.blake3() + " is no blob of a trusted public film here");
      return;
    }
    if (films.stream().anyMatch(CatalogFilm::encrypted)) {
      refuse(reply, 400, "encrypted", "not relayed: the blob belongs to an encrypted film");
      return;
    }
    String session = r.session() != null && Hex.isLowerHex(r.session(), 32) ? r.session() : null;
    long relayed = session == null ? 0 : sessionBytes.getOrDefault(session, new AtomicLong()).get();
    Optional<BlobInfo> held = blobs.byBlake3(r.blake3());
    long wanted = held.map(b -> lengthWithin(r, b.size())).orElse(r.length() != null ? r.length() : FIRST_CREDIT_BYTES);
    if (relayed + (held.isPresent() ? wanted : 1) > config.maxSessionBytes()) {
      refuse(reply, 400, "session_cap", "the session reached max_session_bytes (" + config.maxSessionBytes() + ")");
      return;
    }
    long price = gate.satsPerMb(SERVICE, SCOPE);
    long upstream = held.isPresent() ? 0 : upstreamPrice(films);
    if (upstream > price) {
      refuse(reply, 400, "upstream_price", "not relayed: the upstream asks " + upstream + " sat/MB, more than this relay's "
          + price + " sat/MB");
      return;
    }
    if (r.token() != null) {
      if (session == null) session = gate.newSessionId();
      switch (gate.redeem(r.token(), SERVICE, SCOPE, session)) {
        case Redeem.Credited credited -> session = credited.sessionId();
        case Redeem.Deferred deferred -> session = deferred.sessionId();
        case Redeem.Refused refused -> {
          refuse(reply, refused.httpStatus() == 400 ? 400 : refused.httpStatus(), "token", refused.reason());
          return;
        }
      }
    }
    BlobFetcher.Incoming incoming;
    if (held.isPresent()) {
      incoming = new BlobFetcher.Incoming.Held(held.get());
    } else {
      // Nothing is fetched for a session without credit: the relay never pays upstream for an unpaid request.
      if (gate.authorize(session, SERVICE, SCOPE, Math.min(wanted, FIRST_CREDIT_BYTES))
          instanceof Decision.PaymentRequired required) {
        reply.answer(paymentRequired(required, price));
        return;
      }
      try {
        incoming = fetcher.open(catalog.sha256ForBlake3(r.blake3()).orElse(null), r.blake3());
      } catch (IOException | RuntimeException e) {
        log.info("archy/relay/1: blake3:{} could not be obtained: {}", r.blake3(), e.getMessage());
        refuse(reply, 502, "upstream_failed", "the relay could not obtain the blob: " + e.getMessage());
        return;
      }
    }
    // A blob still arriving is passed on as the store takes it; one this node holds is read from the store.
    long size = switch (incoming) {
      case BlobFetcher.Incoming.Held h -> h.blob().size();
      case BlobFetcher.Incoming.Arriving a -> a.size();
    };
    if (r.offset() > size) {
      closeArriving(incoming);
      refuse(reply, 400, "range", "offset and length must lie within the blob of " + size + " bytes");
      return;
    }
    long length = lengthWithin(r, size);
    switch (gate.reserve(session, SERVICE, SCOPE, length)) {
      case Decision.PaymentRequired required -> {
        // The fetch goes on into the store, so the paid retry costs the relay nothing more.
        closeArriving(incoming);
        reply.answer(paymentRequired(required, price));
      }
      case Decision.Allowed allowed -> stream(reply, r.blake3(), incoming, size, r.offset(), length, session, allowed);
    }
  }

  private static void closeArriving(BlobFetcher.Incoming incoming) {
    if (incoming instanceof BlobFetcher.Incoming.Arriving a) {
      try {
        a.body().close();
      } catch (IOException ignored) {
        // only stops the copy
      }
    }
  }

  private void stream(QuicReply reply, String blake3, BlobFetcher.Incoming incoming, long size, long offset, long length,
                      String session, Decision.Allowed allowed) {
    Reservation reservation = allowed.reservation();
    ObjectNode header = QuicStatus.of(200).put("size", size).put("offset", offset).put("length", length)
        .put("service", SERVICE);
    if (session != null) {
      header.put("session", session);
      if (allowed.balance() != Long.MAX_VALUE) header.put("balance", allowed.balance() - length);
    }
    long charged = 0;
    Range body = null;
    try {
      body = switch (incoming) {
        case BlobFetcher.Incoming.Held h -> new Range(blobs.open(h.blob(), offset, length), 0, length, true);
        case BlobFetcher.Incoming.Arriving a -> new Range(a.body(), offset, length, offset + length == size);
      };
      long sent = reply.stream(header, body).bytes();
      // What went out is what the requester pays (a stream it cut off counts what was handed over), except a blob
      // the relay could not deliver whole from its side (its hash failed, its upstream broke off): nothing is debited.
      charged = body.failed() ? 0 : sent;
      if (body.failed()) log.info("archy/relay/1: blake3:{} cut off, not charged: {}", blake3, body.failure());
    } catch (IOException | RuntimeException e) {
      log.info("archy/relay/1: blob {} could not be sent: {}", blake3, e.getMessage());
      closeArriving(incoming);
      reply.reset();
    } finally {
      reservation.settle(charged);
      relayedBytes.increment(charged);
      if (session != null) sessionBytes.computeIfAbsent(session, s -> new AtomicLong()).addAndGet(charged);
    }
  }

  private static long lengthWithin(RelayRequest r, long size) {
    long rest = Math.max(0, size - r.offset());
    return r.length() == null ? rest : Math.min(r.length(), rest);
  }

  /**
   * What the relay's own upstream will charge per MB for a blob it does not hold: trusted sellers price a film's
   * bytes at the film's price (paid-blobs), so a blob in a free film costs nothing and otherwise the cheapest film
   * holding it sets the cost (paid-blobs' own rule for blobs in several films).
   */
  private static long upstreamPrice(List<CatalogFilm> films) {
    long cheapest = Long.MAX_VALUE;
    for (CatalogFilm film : films) {
      long p = film.monetized() ? film.satsPerMb() : 0;
      cheapest = Math.min(cheapest, p);
    }
    return cheapest;
  }

  private ObjectNode paymentRequired(Decision.PaymentRequired required, long price) {
    PaymentRequest request = required.request();
    ObjectNode header = QuicStatus.of(402).put("request", request.encodeA()).put("session", required.sessionId())
        .put("service", SERVICE).put("sats_per_mb", price).put("reason", "payment required: " + request.amount() + " sat");
    if (request.amount() != null) header.put("amount", request.amount());
    var mints = header.putArray("mints");
    gate.mints().forEach(mints::add);
    return header;
  }
}
