package archy.management;

import archy.nostr.Event;
import archy.plugin.EventPolicy;
import archy.plugin.Origin;
import archy.plugin.Verdict;
import archy.store.Database;
import java.time.Clock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operators' lists as every part of the node reads them: the write path asks {@link #check}, the HTTP front
 * {@link #blocks}, NIP-11 the name and description. Processes sharing one PostgreSQL learn of each other's changes
 * by {@link #refresh}, which the node calls every second: one single-row read, and a reload only when the version
 * moved. Why polling and not the events' LISTEN channel: a change is rare and a second late is fine, and the poll
 * needs no connection of its own and no catch-up logic after a dropped one.
 */
public final class RelayModeration implements EventPolicy {
  private static final Logger log = LoggerFactory.getLogger(RelayModeration.class);

  private final ModerationTables tables;
  private final Consumer<RelayModeration> onChange;
  private volatile Moderation current;

  /**
   * @param onChange told after every reload that brought a change (e.g. to drop connections of newly blocked
   *                 addresses); runs on the thread that reloaded
   */
  public RelayModeration(Database database, Clock clock, Consumer<RelayModeration> onChange) {
    this.tables = new ModerationTables(database, clock);
    this.onChange = onChange;
    this.current = tables.load();
  }

  ModerationTables tables() {
    return tables;
  }

  Moderation current() {
    return current;
  }

  /**
   * Client events only: the node's own (plugins publishing adverts, catalog sync) are the operator's already,
   * except a banned event id, which nobody may bring back.
   */
  @Override
  public Verdict check(Event event, Origin origin) {
    Moderation m = current;
    if (origin.internal()) {
      return m.bannedEvents().containsKey(event.id())
          ? Verdict.reject("blocked: this event is banned from this relay") : Verdict.ACCEPT;
    }
    String refusal = m.refusal(event);
    return refusal == null ? Verdict.ACCEPT : Verdict.reject(refusal);
  }

  /** Whether WebSocket connections from this address (as Jetty reports it) are refused. */
  public boolean blocks(String address) {
    return current.blocks(address);
  }

  public boolean restrictsWrites() {
    return current.restrictsWrites();
  }

  public String name(String configured) {
    return current.setting(Moderation.NAME, configured);
  }

  public String description(String configured) {
    return current.setting(Moderation.DESCRIPTION, configured);
  }

  /** The NIP-11 icon URL an operator set, or null. */
  public String icon() {
    return current.setting(Moderation.ICON, null);
  }

  /** Reloads when another process (or this one) changed the tables; never throws (it runs on a schedule). */
  public void refresh() {
    try {
      if (tables.version() != current.version()) reload();
    } catch (RuntimeException e) {
      log.warn("could not refresh the management lists: {}", e.getMessage());
    }
  }

  /** Re-reads the tables after a change made here, so it applies before the call returns. */
  synchronized void reload() {
    Moderation loaded = tables.load();
    // The poll and a call may reload together: never go back to an older version.
    if (loaded.version() <= current.version()) return;
    current = loaded;
    onChange.accept(this);
  }
}
