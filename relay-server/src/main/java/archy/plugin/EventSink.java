package archy.plugin;

import archy.nostr.Event;

/** Called after an event was committed (or, for ephemeral kinds, accepted), in commit order. */
@FunctionalInterface
public interface EventSink {
  void saved(Event event);
}
