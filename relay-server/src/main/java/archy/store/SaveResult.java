package archy.store;

import java.util.List;

/** What happened to one event handed to {@link EventStore#save}. */
public sealed interface SaveResult {
  /** Stored; {@code removedIds} are the events it replaced or, for a kind 5 deletion, deleted. */
  record Saved(List<String> removedIds) implements SaveResult {}

  /** Already stored: NIP-01's {@code duplicate:}. */
  record Duplicate(String message) implements SaveResult {}

  /** Refused by a storage rule (newer version stored, deleted address); message carries its NIP-01 prefix. */
  record Refused(String message) implements SaveResult {}
}
