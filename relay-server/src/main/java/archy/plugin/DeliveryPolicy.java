package archy.plugin;

import archy.nostr.Event;
import archy.nostr.Filter;
import java.util.List;

/**
 * A plugin's say over events about to be sent on subscriptions (paid streams, PROTOCOLS.md §7): each recipient
 * gets the event now ({@link Delivery#SEND}, after any debit the policy made), or not
 * ({@link Delivery#WITHHOLD}; the policy may send it later through {@link Recipient#send}, e.g. as catch-up).
 *
 * <p>The host asks only about events of kinds the policy {@link #guards}; every other event takes the host's
 * fast path untouched. It asks on all three ways an event reaches a subscription: the stored query (one recipient
 * per row, on the query's virtual thread), live fan-out of events stored here (on the store-completions thread,
 * all matching subscriptions at once, so a policy can debit them in one statement) and events stored by other
 * processes on the same PostgreSQL (the notification thread). Decisions must therefore be quick and must not wait
 * on other subscriptions' sends.
 */
public interface DeliveryPolicy {
  /** Whether events of {@code kind} need this policy's decision. Called for every event sent: keep it a set lookup. */
  boolean guards(int kind);

  /** One decision per recipient, in the order given. */
  List<Delivery> decide(Event event, List<? extends Recipient> recipients, DeliveryPath path);

  /**
   * Why a COUNT or NIP-77 reconciliation over {@code filter} would reveal events this policy withholds (a NIP-01
   * prefixed message), or null when it may run. Those answer from the database alone, past any decision.
   */
  default String countRefusal(Filter filter, Origin origin) {
    return null;
  }

  /** What to do with one event for one recipient. */
  enum Delivery {
    SEND, WITHHOLD
  }

  /** Which way the event is reaching the subscription. */
  enum DeliveryPath {
    /** A stored event answering the REQ, before its EOSE. */
    STORED,
    /** A live event, stored by this process or another one on the same database. */
    LIVE
  }
}
