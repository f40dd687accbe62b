package archy.plugin;

import archy.nostr.Event;

/** Decides whether an incoming, already verified event may be stored. Must be fast: it runs in-line. */
@FunctionalInterface
public interface EventPolicy {
  Verdict check(Event event, Origin origin);
}
