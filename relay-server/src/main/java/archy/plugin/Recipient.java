package archy.plugin;

import archy.nostr.Event;
import java.util.List;

/**
 * One open subscription (a REQ) on one client connection, as delivery policies and event consumers see it. The
 * same object stands for the subscription as long as it is open, so it can key a plugin's per-subscription state.
 */
public interface Recipient {
  String subscriptionId();

  /** The connection's address and NIP-42 pubkeys. */
  Origin origin();

  boolean isOpen();

  /** Whether any of the subscription's filters matches the event. */
  boolean matches(Event event);

  /**
   * Sends the event on this subscription now, past the delivery policies (the caller decided). Returns false when
   * the connection is gone or its output queue overflowed.
   */
  boolean send(Event event);

  /** Sends {@code ["NOTICE", message]} on the subscription's connection. */
  void notice(String message);

  /** The connection's other open subscriptions, this one included. */
  List<? extends Recipient> siblings();
}
