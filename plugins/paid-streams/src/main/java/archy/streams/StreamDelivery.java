package archy.streams;

import archy.ecash.gate.PaymentGate;
import archy.nostr.Event;
import archy.nostr.Filter;
import archy.plugin.DeliveryPolicy;
import archy.plugin.EventGateway;
import archy.plugin.Origin;
import archy.plugin.Recipient;
import archy.store.StoredEvent;
import archy.nostr.EventParser;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gate of priced streams (PROTOCOLS.md §7). An observation above the subscriber's {@code last_delivered_seq}
 * goes out only once {@link Grants#debitNext} took its price; one at or below it is re-sent free. Order per
 * (subscription, stream) is kept by one lock: catch-up holds it across each debit and send, and a live event whose
 * subscription is catching up is withheld and left to the catch-up loop, which runs until no paid-for observation
 * is left. Stored rows (a REQ) carry only what was delivered before; anything newer comes by catch-up, in seq order.
 */
final class StreamDelivery implements DeliveryPolicy {
  private static final Logger log = LoggerFactory.getLogger(StreamDelivery.class);
  private static final EventParser STORED = new EventParser((signature, message, publicKey) -> true);
  private static final int BATCH = 200;

  private final Offers offers;
  private final Grants grants;
  private final EventGateway events;
  private final PaymentGate gate;
  /** Per (subscription, stream): the order lock, whether more work came while it was held, and the NOTICE sent. */
  private final Map<Recipient, Map<String, Lane>> lanes = new ConcurrentHashMap<>();

  private static final class Lane {
    final ReentrantLock lock = new ReentrantLock();
    volatile boolean dirty;
    volatile boolean noticed;
  }

  StreamDelivery(Offers offers, Grants grants, EventGateway events, PaymentGate gate) {
    this.offers = offers;
    this.grants = grants;
    this.events = events;
    this.gate = gate;
  }

  @Override
  public boolean guards(int kind) {
    return offers.isPricedKind(kind);
  }

  @Override
  public String countRefusal(Filter filter, Origin origin) {
    return offers.mayMatchPriced(filter)
        ? "restricted: COUNT and NEG-OPEN do not cover paid stream observations; name other kinds or authors" : null;
  }

  @Override
  public List<Delivery> decide(Event event, List<? extends Recipient> recipients, DeliveryPath path) {
    Offer offer = offers.streamOf(event);
    if (offer == null || !offer.priced()) return java.util.Collections.nCopies(recipients.size(), Delivery.SEND);
    long seq;
    try {
      seq = Offer.seq(event);
    } catch (IllegalArgumentException e) {
      return java.util.Collections.nCopies(recipients.size(), Delivery.WITHHOLD);
    }
    if (path == DeliveryPath.STORED) {
      List<Delivery> out = new ArrayList<>(recipients.size());
      for (Recipient r : recipients) out.add(decideStored(offer, seq, r));
      return out;
    }
    return decideLive(offer, seq, recipients);
  }

  private Delivery decideStored(Offer offer, long seq, Recipient r) {
    String subscriber = subscriber(r, offer);
    if (subscriber == null) return Delivery.WITHHOLD;
    if (subscriber.equals(offer.publisher())) return Delivery.SEND;
    try {
      if (seq <= grants.grant(subscriber, offer.address()).lastDeliveredSeq()) return Delivery.SEND;
      catchUpLater(r, offer);
    } catch (SQLException e) {
      log.warn("paid-streams: grant storage failed; observation withheld: {}", e.getMessage());
    }
    return Delivery.WITHHOLD;
  }

  /**
   * A live observation for all its subscriptions at once: every lane not busy with a catch-up is locked, and the
   * subscribers behind them are debited together ({@link Grants#debitNext(java.util.Collection, Offer, long)}: one
   * transaction, not one per subscriber, which capped a 1,000-subscriber stream at about a fifth of the unpriced
   * rate). Those not debited are looked at one by one, as before: delivered elsewhere, paid but behind, or unpaid.
   */
  private List<Delivery> decideLive(Offer offer, long seq, List<? extends Recipient> recipients) {
    Delivery[] out = new Delivery[recipients.size()];
    Arrays.fill(out, Delivery.WITHHOLD);
    String[] subscribers = new String[recipients.size()];
    Lane[] held = new Lane[recipients.size()];
    Set<String> asking = new HashSet<>();
    try {
      for (int i = 0; i < out.length; i++) {
        Recipient r = recipients.get(i);
        String subscriber = subscriber(r, offer);
        if (subscriber == null) continue;
        if (subscriber.equals(offer.publisher())) {
          out[i] = Delivery.SEND;
          continue;
        }
        Lane lane = lane(r, offer);
        if (!lane.lock.tryLock()) {
          lane.dirty = true; // the catch-up under way picks it up in order
          continue;
        }
        held[i] = lane;
        subscribers[i] = subscriber;
        asking.add(subscriber);
      }
      Set<String> debited = grants.debitNext(asking, offer, seq);
      for (int i = 0; i < out.length; i++) {
        if (held[i] == null) continue;
        out[i] = debited.contains(subscribers[i]) ? Delivery.SEND
            : notDebited(recipients.get(i), subscribers[i], offer, seq, held[i]);
      }
    } catch (SQLException e) {
      // the debit rolled back as a whole: every subscriber behind a held lane stays withheld, and unbilled
      log.warn("paid-streams: grant storage failed; observation withheld: {}", e.getMessage());
    } finally {
      for (Lane lane : held) if (lane != null) lane.lock.unlock();
    }
    return Arrays.asList(out);
  }

  /** A live observation its subscriber was not debited for (its lane held): free, later, or payment required. */
  private Delivery notDebited(Recipient r, String subscriber, Offer offer, long seq, Lane lane) {
    try {
      Grants.Grant grant = grants.grant(subscriber, offer.address());
      if (seq <= grant.lastDeliveredSeq()) return Delivery.SEND; // delivered on another connection: free
      if (grant.balanceSats() >= offer.priceSats()) {
        catchUpLater(r, offer); // paid, but older observations come first
      } else {
        paymentRequired(r, offer, lane);
      }
    } catch (SQLException e) {
      log.warn("paid-streams: grant storage failed; observation withheld: {}", e.getMessage());
    }
    return Delivery.WITHHOLD;
  }

  /** Catch-up on a virtual thread: stored queries and the fan-out thread never wait on it. */
  void catchUpLater(Recipient r, Offer offer) {
    Lane lane = lane(r, offer);
    lane.dirty = true;
    Thread.ofVirtual().name("paid-streams-catch-up").start(() -> catchUp(r, offer));
  }

  /** Sends, in seq order, every withheld observation the balance now covers; then tells once when it stops short. */
  void catchUp(Recipient r, Offer offer) {
    String subscriber = subscriber(r, offer);
    if (subscriber == null || !r.isOpen()) return;
    Lane lane = lane(r, offer);
    lane.lock.lock();
    try {
      do {
        lane.dirty = false;
        if (!deliverPaid(r, subscriber, offer, lane)) break;
      } while (lane.dirty && r.isOpen());
    } catch (SQLException e) {
      log.warn("paid-streams: catch-up failed: {}", e.getMessage());
    } finally {
      lane.lock.unlock();
    }
  }

  /** One pass; false when the subscription went away. */
  private boolean deliverPaid(Recipient r, String subscriber, Offer offer, Lane lane) throws SQLException {
    while (true) {
      Grants.Grant grant = grants.grant(subscriber, offer.address());
      List<Grants.Observation> next = grants.after(offer.address(), grant.lastDeliveredSeq(), BATCH);
      if (next.isEmpty()) return true;
      for (Grants.Observation o : next) {
        Event event = load(o.eventId());
        if (event == null || !r.matches(event)) return true; // not stored (yet), or not asked for
        if (!grants.debitNext(subscriber, offer, o.seq())) {
          Grants.Grant now = grants.grant(subscriber, offer.address());
          if (o.seq() <= now.lastDeliveredSeq()) {
            if (!r.send(event)) return false; // delivered elsewhere meanwhile: free here
            continue;
          }
          if (now.balanceSats() < offer.priceSats()) paymentRequired(r, offer, lane);
          return true;
        }
        lane.noticed = false;
        if (!r.send(event)) return false;
      }
    }
  }

  /** Re-sends the newest observation the subscriber paid for ("I'm back"). */
  void resendNewest(Recipient r, Offer offer) throws SQLException {
    String subscriber = subscriber(r, offer);
    if (subscriber == null) return;
    long last = grants.grant(subscriber, offer.address()).lastDeliveredSeq();
    if (last == 0) return;
    Event event = grants.observation(offer.address(), last).map(this::load).orElse(null);
    if (event != null && r.matches(event)) {
      Lane lane = lane(r, offer);
      lane.lock.lock();
      try {
        r.send(event);
      } finally {
        lane.lock.unlock();
      }
    }
  }

  /** Once per subscription and stream until a payment lets it go on. */
  private void paymentRequired(Recipient r, Offer offer, Lane lane) {
    if (lane.noticed) return;
    lane.noticed = true;
    String request = gate.requestFor(PaymentGate.PAID_STREAMS, offer.address(), offer.priceSats(), null).encodeA();
    r.notice("payment-required: " + offer.address() + " " + request);
  }

  private Lane lane(Recipient r, Offer offer) {
    if (!r.isOpen()) lanes.remove(r);
    return lanes.computeIfAbsent(r, k -> new ConcurrentHashMap<>()).computeIfAbsent(offer.address(), k -> new Lane());
  }

  /** Forgets closed subscriptions (called periodically). */
  void sweep() {
    lanes.keySet().removeIf(r -> !r.isOpen());
  }

  private Event load(String id) {
    Filter byId = new Filter(Set.of(id), Set.of(), Set.of(), Map.of(), null, null, 1);
    List<StoredEvent> rows = events.query(byId, 1);
    if (rows.isEmpty()) return null;
    try {
      return STORED.parse(rows.getFirst().json());
    } catch (Exception e) {
      return null;
    }
  }

  /** The pubkey the subscription reads as: the publisher when authenticated as it, else its first NIP-42 key. */
  static String subscriber(Recipient r, Offer offer) {
    Set<String> authed = r.origin().authedPubkeys();
    if (authed.isEmpty()) return null;
    if (authed.contains(offer.publisher())) return offer.publisher();
    return authed.stream().sorted().findFirst().orElseThrow();
  }
}
