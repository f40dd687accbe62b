package archy.nostr;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A NIP-01 filter. Empty sets mean "no condition"; {@code tags} maps a single-letter tag name to the values
 * any of which must appear. {@code limit} is null when the client gave none.
 */
public record Filter(Set<String> ids, Set<String> authors, Set<Integer> kinds, Map<String, Set<String>> tags,
                     Long since, Long until, Integer limit) {

  public Filter {
    ids = Set.copyOf(ids);
    authors = Set.copyOf(authors);
    kinds = Set.copyOf(kinds);
    tags = Map.copyOf(tags);
  }

  public static Filter empty() {
    return new Filter(Set.of(), Set.of(), Set.of(), Map.of(), null, null, null);
  }

  /** Whether the event satisfies every condition (used for live events; stored ones are matched in SQL). */
  public boolean matches(Event e) {
    if (!ids.isEmpty() && !ids.contains(e.id())) return false;
    if (!authors.isEmpty() && !authors.contains(e.pubkey())) return false;
    if (!kinds.isEmpty() && !kinds.contains(e.kind())) return false;
    if (since != null && e.createdAt() < since) return false;
    if (until != null && e.createdAt() > until) return false;
    for (Map.Entry<String, Set<String>> condition : tags.entrySet()) {
      if (!hasAnyTagValue(e.tags(), condition.getKey(), condition.getValue())) return false;
    }
    return true;
  }

  private static boolean hasAnyTagValue(List<List<String>> tags, String name, Set<String> values) {
    for (List<String> tag : tags) {
      if (tag.size() >= 2 && tag.get(0).equals(name) && values.contains(tag.get(1))) return true;
    }
    return false;
  }
}
