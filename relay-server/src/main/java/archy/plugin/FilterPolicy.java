package archy.plugin;

import archy.nostr.Filter;

/** Decides whether a REQ or COUNT filter may run; a reject closes the subscription with its message. */
@FunctionalInterface
public interface FilterPolicy {
  Verdict check(Filter filter, Origin origin);
}
