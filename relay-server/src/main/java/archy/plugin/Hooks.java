package archy.plugin;

import archy.nostr.Event;
import archy.nostr.Filter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lists plugins append to (khatru's model). Policies run in registration order and the first reject
 * wins. Lists are copy-on-write: appended at start-up, read on every event.
 */
public final class Hooks {
  private static final Logger log = LoggerFactory.getLogger(Hooks.class);

  private final List<EventPolicy> rejectEvent = new CopyOnWriteArrayList<>();
  private final List<EventSink> onEventSaved = new CopyOnWriteArrayList<>();
  private final List<FilterPolicy> rejectFilter = new CopyOnWriteArrayList<>();

  public void rejectEvent(EventPolicy policy) {
    rejectEvent.add(policy);
  }

  public void onEventSaved(EventSink sink) {
    onEventSaved.add(sink);
  }

  public void rejectFilter(FilterPolicy policy) {
    rejectFilter.add(policy);
  }

  /** Whether any plugin restricts writes (NIP-11's {@code restricted_writes}). */
  public boolean hasEventPolicies() {
    return !rejectEvent.isEmpty();
  }

  /** Runs the event policies; the first reject wins. */
  public Verdict checkEvent(Event event, Origin origin) {
    for (EventPolicy policy : rejectEvent) {
      Verdict verdict = policy.check(event, origin);
      if (verdict instanceof Verdict.Reject) return verdict;
    }
    return Verdict.ACCEPT;
  }

  /** Runs the filter policies; the first reject wins. */
  public Verdict checkFilter(Filter filter, Origin origin) {
    for (FilterPolicy policy : rejectFilter) {
      Verdict verdict = policy.check(filter, origin);
      if (verdict instanceof Verdict.Reject) return verdict;
    }
    return Verdict.ACCEPT;
  }

  /** Tells every sink; a failing sink is logged and does not stop the others. */
  public void eventSaved(Event event) {
    for (EventSink sink : onEventSaved) {
      try {
        sink.saved(event);
      } catch (RuntimeException e) {
        log.warn("onEventSaved hook failed for event {}", event.id(), e);
      }
    }
  }
}
