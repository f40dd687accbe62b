package archy.relay;

import archy.config.Relay;
import archy.nostr.Event;
import archy.nostr.Filter;
import archy.nostr.Kinds;
import archy.plugin.EventGateway;
import archy.plugin.EventPolicy;
import archy.plugin.Hooks;
import archy.plugin.Origin;
import archy.plugin.Verdict;
import archy.store.EventRecord;
import archy.store.EventStore;
import archy.store.SaveResult;
import archy.store.StoredEvent;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * The write path shared by clients and plugins: limits, NIP-40/42/70 rules, the operators' NIP-86 lists and
 * plugin policies, then the store (or, for ephemeral kinds, straight to subscribers), then {@code onEventSaved}
 * hooks and fan-out.
 */
public final class EventIngest implements EventGateway {
  private final Relay limits;
  private final EventStore store;
  private final EventPolicy operator;
  private final Hooks hooks;
  private final Fanout fanout;
  private final RelayMetrics metrics;
  private final Clock clock;

  EventIngest(Relay limits, EventStore store, EventPolicy operator, Hooks hooks, Fanout fanout, RelayMetrics metrics, Clock clock) {
    this.limits = limits;
    this.store = store;
    this.operator = operator;
    this.hooks = hooks;
    this.fanout = fanout;
    this.metrics = metrics;
    this.clock = clock;
  }

  @Override
  public CompletableFuture<Published> publish(Event event, Origin origin) {
    String refusal = refusal(event, origin);
    if (refusal != null) {
      metrics.rejected(refusal);
      return CompletableFuture.completedFuture(new Published(false, refusal));
    }
    if (Kinds.isEphemeral(event.kind())) {
      metrics.accepted();
      fanout.deliver(event);
      return CompletableFuture.completedFuture(new Published(true, ""));
    }
    return store.save(event).thenApply(result -> switch (result) {
      case SaveResult.Saved saved -> {
        metrics.accepted();
        hooks.eventSaved(event);
        fanout.deliver(event);
        yield new Published(true, "");
      }
      case SaveResult.Duplicate duplicate -> new Published(true, duplicate.message());
      case SaveResult.Refused refused -> {
        metrics.rejected(refused.message());
        yield new Published(false, refused.message());
      }
    }).exceptionally(failure -> {
      metrics.rejected("error:");
      return new Published(false, "error: could not store the event");
    });
  }

  @Override
  public List<StoredEvent> query(Filter filter, int limit) {
    List<StoredEvent> out = new ArrayList<>();
    store.query(filter, Math.min(limit, limits.maxLimit()), clock.instant().getEpochSecond(), out::add);
    return out;
  }

  @Override
  public void records(Filter filter, int limit, Predicate<EventRecord> sink) {
    store.records(filter, limit, clock.instant().getEpochSecond(), sink);
  }

  /** Why the event may not be accepted (a NIP-01 prefixed message), or null when it may. */
  private String refusal(Event event, Origin origin) {
    int maxBytes = limits.maxEventBytesFor(event.kind());
    String json = event.json();
    if (json.length() > maxBytes || (json.length() * 3L > maxBytes
        && json.getBytes(StandardCharsets.UTF_8).length > maxBytes)) {
      return "invalid: event is larger than " + maxBytes + " bytes";
    }
    if (event.tags().size() > limits.maxTags()) return "invalid: more than " + limits.maxTags() + " tags";
    for (List<String> tag : event.tags()) {
      for (String value : tag) {
        if (value.length() > limits.maxTagValueBytes()) {
          return "invalid: a tag value is longer than " + limits.maxTagValueBytes() + " bytes";
        }
      }
    }
    long now = clock.instant().getEpochSecond();
    if (limits.maxFutureSeconds() > 0 && event.createdAt() > now + limits.maxFutureSeconds()) {
      return "invalid: created_at is more than " + limits.maxFutureSeconds() + " seconds in the future";
    }
    if (limits.maxPastSeconds() > 0 && event.createdAt() < now - limits.maxPastSeconds()) {
      return "invalid: created_at is more than " + limits.maxPastSeconds() + " seconds in the past";
    }
    Long expiration = event.expiration();
    if (expiration != null && expiration <= now) return "invalid: event has expired";
    if (event.kind() == Kinds.AUTH) return "invalid: AUTH events are sent with the AUTH message, not published";
    if (!origin.internal()) {
      if (event.isProtected() && !origin.isAuthedAs(event.pubkey())) {
        return origin.authedPubkeys().isEmpty()
            ? "auth-required: this event may only be published by its author"
            : "restricted: this event may only be published by its author";
      }
      if (limits.authRequiredKinds().contains(event.kind()) && origin.authedPubkeys().isEmpty()) {
        return "auth-required: kind " + event.kind() + " needs authentication";
      }
    }
    if (operator.check(event, origin) instanceof Verdict.Reject reject) return reject.message();
    Verdict verdict = hooks.checkEvent(event, origin);
    return verdict instanceof Verdict.Reject reject ? reject.message() : null;
  }
}
