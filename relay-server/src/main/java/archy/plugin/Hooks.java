package archy.plugin;

import archy.nostr.Event;
import archy.nostr.Filter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.LongConsumer;
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
  private final List<EventSink> onSiblingEventSaved = new CopyOnWriteArrayList<>();
  private final List<FilterPolicy> rejectFilter = new CopyOnWriteArrayList<>();
  private final List<UploadPolicy> rejectUpload = new CopyOnWriteArrayList<>();
  private final List<GetPolicy> rejectGet = new CopyOnWriteArrayList<>();
  private final List<BlobServedSink> onBlobServed = new CopyOnWriteArrayList<>();
  private final List<MissingBlobHook> onBlobMissing = new CopyOnWriteArrayList<>();
  private final List<DeliveryPolicy> delivery = new CopyOnWriteArrayList<>();
  private final List<EventConsumer> consumers = new CopyOnWriteArrayList<>();

  public void rejectEvent(EventPolicy policy) {
    rejectEvent.add(policy);
  }

  public void onEventSaved(EventSink sink) {
    onEventSaved.add(sink);
  }

  /**
   * Events a sibling process on the same PostgreSQL stored, before they are fanned out here: how a plugin keeps
   * state that its {@link #onEventSaved} sink builds in the storing process (paid-streams' offers) current.
   */
  public void onSiblingEventSaved(EventSink sink) {
    onSiblingEventSaved.add(sink);
  }

  public void rejectFilter(FilterPolicy policy) {
    rejectFilter.add(policy);
  }

  public void rejectUpload(UploadPolicy policy) {
    rejectUpload.add(policy);
  }

  public void rejectGet(GetPolicy policy) {
    rejectGet.add(policy);
  }

  public void onBlobServed(BlobServedSink sink) {
    onBlobServed.add(sink);
  }

  public void onBlobMissing(MissingBlobHook hook) {
    onBlobMissing.add(hook);
  }

  /** Decides, per subscription, whether guarded events are sent (paid streams). */
  public void delivery(DeliveryPolicy policy) {
    delivery.add(policy);
  }

  /** Takes client EVENTs of its kinds instead of the store (payments). */
  public void consumeEvent(EventConsumer consumer) {
    consumers.add(consumer);
  }

  /** Whether any delivery policy guards {@code kind}: false is the send path's fast path. */
  public boolean guardsDelivery(int kind) {
    if (delivery.isEmpty()) return false;
    for (DeliveryPolicy policy : delivery) {
      if (policy.guards(kind)) return true;
    }
    return false;
  }

  /**
   * One decision per recipient: {@code SEND} only when every policy guarding the kind says so (a policy that
   * withholds for a recipient is not asked again about it by the policies after it).
   */
  public List<DeliveryPolicy.Delivery> decideDelivery(Event event, List<? extends Recipient> recipients,
                                                      DeliveryPolicy.DeliveryPath path) {
    List<DeliveryPolicy.Delivery> out = null;
    for (DeliveryPolicy policy : delivery) {
      if (!policy.guards(event.kind())) continue;
      if (out == null) {
        out = List.copyOf(policy.decide(event, recipients, path));
        continue;
      }
      List<Recipient> still = new ArrayList<>();
      for (int i = 0; i < recipients.size(); i++) {
        if (out.get(i) == DeliveryPolicy.Delivery.SEND) still.add(recipients.get(i));
      }
      List<DeliveryPolicy.Delivery> next = policy.decide(event, still, path);
      List<DeliveryPolicy.Delivery> merged = new ArrayList<>(out);
      for (int i = 0, j = 0; i < merged.size(); i++) {
        if (merged.get(i) == DeliveryPolicy.Delivery.SEND) merged.set(i, next.get(j++));
      }
      out = merged;
    }
    return out == null ? Collections.nCopies(recipients.size(), DeliveryPolicy.Delivery.SEND) : out;
  }

  /** The first delivery policy's refusal of a COUNT or NEG-OPEN over {@code filter}, or null. */
  public String countRefusal(Filter filter, Origin origin) {
    for (DeliveryPolicy policy : delivery) {
      String refusal = policy.countRefusal(filter, origin);
      if (refusal != null) return refusal;
    }
    return null;
  }

  /** The consumer that takes client EVENTs of {@code kind}, or null (the event goes to the store). */
  public EventConsumer consumerOf(int kind) {
    if (consumers.isEmpty()) return null;
    for (EventConsumer consumer : consumers) {
      if (consumer.consumes(kind)) return consumer;
    }
    return null;
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

  /** Runs the upload policies; the first non-allow wins. */
  public BlobVerdict checkUpload(BlobUpload upload) {
    return firstRefusal(rejectUpload, p -> p.check(upload));
  }

  /**
   * Runs the get policies; the first non-allow wins, and the headers and {@code onServed} callbacks of every
   * allow are merged. When a later policy refuses, the earlier allows are told 0 bytes at once, so what they set
   * aside (a paid session's reservation) is released.
   */
  public BlobVerdict checkGet(BlobGet get) {
    return firstRefusal(rejectGet, p -> p.check(get));
  }

  private static <P> BlobVerdict firstRefusal(List<P> policies, Function<P, BlobVerdict> run) {
    Map<String, String> headers = null;
    LongConsumer onServed = null;
    for (P policy : policies) {
      BlobVerdict verdict = run.apply(policy);
      if (!(verdict instanceof BlobVerdict.Allow allow)) {
        if (onServed != null) new DeliveryMeter(onServed).end();
        return verdict;
      }
      if (!allow.headers().isEmpty()) {
        if (headers == null) headers = new LinkedHashMap<>();
        headers.putAll(allow.headers());
      }
      if (allow.onServed() != BlobVerdict.ALLOW.onServed()) {
        onServed = onServed == null ? allow.onServed() : both(onServed, allow.onServed());
      }
    }
    return headers == null && onServed == null ? BlobVerdict.ALLOW
        : new BlobVerdict.Allow(headers == null ? Map.of() : headers, onServed);
  }

  /** Both callbacks, the second even when the first throws (its reservation must still be settled). */
  private static LongConsumer both(LongConsumer first, LongConsumer second) {
    return bytes -> {
      try {
        first.accept(bytes);
      } catch (RuntimeException e) {
        log.warn("a get policy's onServed callback failed", e);
      }
      second.accept(bytes);
    };
  }

  /** Tells every metering sink; a failing sink is logged and does not stop the others. */
  public void blobServed(BlobGet get, long bytesSent) {
    for (BlobServedSink sink : onBlobServed) {
      try {
        sink.served(get, bytesSent);
      } catch (RuntimeException e) {
        log.warn("onBlobServed hook failed for blob {}", get.blob().sha256(), e);
      }
    }
  }

  /** The first source a plugin offers for a blob the node does not hold. */
  public Optional<BlobSource> sourceForMissing(String sha256, String blake3, Origin origin) {
    for (MissingBlobHook hook : onBlobMissing) {
      Optional<BlobSource> source = hook.sourceFor(sha256, blake3, origin);
      if (source.isPresent()) return source;
    }
    return Optional.empty();
  }

  /** Tells every sink; a failing sink is logged and does not stop the others. */
  public void eventSaved(Event event) {
    tell(onEventSaved, "onEventSaved", event);
  }

  /** As {@link #eventSaved}, for an event a sibling process stored. */
  public void siblingEventSaved(Event event) {
    tell(onSiblingEventSaved, "onSiblingEventSaved", event);
  }

  private static void tell(List<EventSink> sinks, String hook, Event event) {
    for (EventSink sink : sinks) {
      try {
        sink.saved(event);
      } catch (RuntimeException e) {
        log.warn("{} hook failed for event {}", hook, event.id(), e);
      }
    }
  }
}
