package archy.relay;

import archy.nostr.Event;
import archy.nostr.EventParser;
import archy.nostr.InvalidEventException;
import archy.plugin.DeliveryPolicy.Delivery;
import archy.plugin.DeliveryPolicy.DeliveryPath;
import archy.plugin.Hooks;
import archy.store.StoredEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers live events to matching subscriptions. Events of auth-required kinds (for example DMs) go
 * only to connections authenticated as their author or as a recipient named in a {@code p} tag. Events of kinds
 * a plugin's delivery policy guards (paid streams) are sent only where it says so, live here and stored through
 * {@link #mayDeliverStored}: the one place both send paths ask.
 */
final class Fanout {
  private static final Logger log = LoggerFactory.getLogger(Fanout.class);
  /** Stored rows were verified when they came in: re-reading one for a policy needs no signature check. */
  private static final EventParser STORED = new EventParser((signature, message, publicKey) -> true);

  private final SubscriptionIndex index;
  private final Set<Integer> restrictedKinds;
  private final Hooks hooks;

  Fanout(SubscriptionIndex index, Set<Integer> restrictedKinds, Hooks hooks) {
    this.index = index;
    this.restrictedKinds = restrictedKinds;
    this.hooks = hooks;
  }

  void deliver(Event event) {
    boolean restricted = restrictedKinds.contains(event.kind());
    if (hooks.guardsDelivery(event.kind())) {
      deliverGuarded(event, restricted);
      return;
    }
    // Encoded at the first match and shared by every subscription's frame, instead of once per frame.
    byte[][] json = new byte[1][];
    index.forEachMatch(event, subscription -> {
      if (restricted && !mayRead(subscription.connection, event.pubkey(), event.tags())) return;
      if (json[0] == null) json[0] = event.json().getBytes(StandardCharsets.UTF_8);
      subscription.sendJson(json[0]);
    });
  }

  /** All matching subscriptions at once, so a policy can decide (and debit) them together. */
  private void deliverGuarded(Event event, boolean restricted) {
    List<Subscription> matches = new ArrayList<>();
    index.forEachMatch(event, subscription -> {
      if (!restricted || mayRead(subscription.connection, event.pubkey(), event.tags())) matches.add(subscription);
    });
    if (matches.isEmpty()) return;
    List<Delivery> decisions;
    try {
      decisions = hooks.decideDelivery(event, matches, DeliveryPath.LIVE);
    } catch (RuntimeException e) {
      log.warn("a delivery policy failed on event {}; withheld from {} subscriptions", event.id(), matches.size(), e);
      return;
    }
    byte[] json = event.json().getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < matches.size(); i++) {
      if (decisions.get(i) == Delivery.SEND) matches.get(i).sendJson(json);
    }
  }

  boolean isRestricted(int kind) {
    return restrictedKinds.contains(kind);
  }

  /** Whether a stored row may answer the subscription's query; asks the delivery policies about guarded kinds. */
  boolean mayDeliverStored(Subscription subscription, StoredEvent row) {
    if (!hooks.guardsDelivery(row.kind())) return true;
    try {
      Event event = STORED.parse(row.json());
      return hooks.decideDelivery(event, List.of(subscription), DeliveryPath.STORED).getFirst() == Delivery.SEND;
    } catch (InvalidEventException | RuntimeException e) {
      log.warn("a delivery policy failed on stored event {}; withheld", row.id(), e);
      return false;
    }
  }

  static boolean mayRead(Connection c, String author, List<List<String>> tags) {
    if (c.origin().isAuthedAs(author)) return true;
    for (List<String> tag : tags) {
      if (tag.size() >= 2 && tag.get(0).equals("p") && c.origin().isAuthedAs(tag.get(1))) return true;
    }
    return false;
  }
}
