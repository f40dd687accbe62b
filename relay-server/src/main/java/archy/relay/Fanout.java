package archy.relay;

import archy.nostr.Event;
import java.util.List;
import java.util.Set;

/**
 * Delivers live events to matching subscriptions. Events of auth-required kinds (for example DMs) go
 * only to connections authenticated as their author or as a recipient named in a {@code p} tag.
 */
final class Fanout {
  private final SubscriptionIndex index;
  private final Set<Integer> restrictedKinds;

  Fanout(SubscriptionIndex index, Set<Integer> restrictedKinds) {
    this.index = index;
    this.restrictedKinds = restrictedKinds;
  }

  void deliver(Event event) {
    boolean restricted = restrictedKinds.contains(event.kind());
    index.forEachMatch(event, subscription -> {
      Connection c = subscription.connection;
      if (restricted && !mayRead(c, event.pubkey(), event.tags())) return;
      c.send(RelayMessages.event(subscription.id, event.json()));
    });
  }

  boolean isRestricted(int kind) {
    return restrictedKinds.contains(kind);
  }

  static boolean mayRead(Connection c, String author, List<List<String>> tags) {
    if (c.origin().isAuthedAs(author)) return true;
    for (List<String> tag : tags) {
      if (tag.size() >= 2 && tag.get(0).equals("p") && c.origin().isAuthedAs(tag.get(1))) return true;
    }
    return false;
  }
}
