package archy.film.trust;

import archy.nostr.Event;
import archy.nostr.Filter;
import archy.nostr.Hex;
import archy.plugin.EventGateway;
import archy.store.StoredEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may publish films (PROTOCOLS.md §3): the configured publishers, plus the keys listed ({@code p} tags) in
 * each film root's newest kind 30000 list {@code d = "archy-film-publishers"}. Delegation is one level: a
 * listed key's own lists count for nothing, and a root is only a publisher if configured or self-listed.
 *
 * <p>The set is recomputed from the stored lists ({@link #refresh}); reads are a volatile snapshot, cheap
 * enough for the event hook.
 */
public final class PublisherTrust {
  public static final int LIST_KIND = 30000;
  public static final String LIST_D = "archy-film-publishers";
  private static final Logger log = LoggerFactory.getLogger(PublisherTrust.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Set<String> configured;
  private final Set<String> roots;
  private volatile Set<String> trusted;

  public PublisherTrust(Set<String> configured, Set<String> roots) {
    this.configured = Set.copyOf(configured);
    this.roots = Set.copyOf(roots);
    this.trusted = this.configured;
  }

  /** What a refresh changed. */
  public record Change(Set<String> added, Set<String> removed) {
    public boolean isEmpty() {
      return added.isEmpty() && removed.isEmpty();
    }
  }

  public boolean isTrusted(String pubkey) {
    return trusted.contains(pubkey);
  }

  public Set<String> trusted() {
    return trusted;
  }

  public Set<String> roots() {
    return roots;
  }

  /** Whether the event is a film root's trust list, whose arrival calls for a {@link #refresh}. */
  public boolean isTrustList(Event e) {
    return e.kind() == LIST_KIND && roots.contains(e.pubkey()) && LIST_D.equals(e.firstTagValue("d"));
  }

  /** Re-reads every root's newest list from the store and swaps in the new set. */
  public synchronized Change refresh(EventGateway events) {
    Set<String> next = new LinkedHashSet<>(configured);
    for (String root : roots) {
      Filter newest = new Filter(Set.of(), Set.of(root), Set.of(LIST_KIND), Map.of("d", Set.of(LIST_D)), null, null, 1);
      List<StoredEvent> lists = events.query(newest, 1);
      if (!lists.isEmpty()) next.addAll(listed(lists.get(0)));
    }
    Set<String> previous = trusted;
    Set<String> added = new HashSet<>(next);
    added.removeAll(previous);
    Set<String> removed = new HashSet<>(previous);
    removed.removeAll(next);
    trusted = Set.copyOf(next);
    return new Change(Set.copyOf(added), Set.copyOf(removed));
  }

  private static Set<String> listed(StoredEvent list) {
    Set<String> keys = new HashSet<>();
    try {
      for (JsonNode tag : JSON.readTree(list.json()).path("tags")) {
        String pubkey = tag.path(1).asText();
        if (tag.path(0).asText().equals("p") && Hex.isLowerHex(pubkey, 64)) keys.add(pubkey);
      }
    } catch (Exception e) {
      log.warn("cannot read trust list {}", list.id(), e);
    }
    return keys;
  }
}
