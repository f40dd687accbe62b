package archy.ecash.offer;

import archy.nostr.Event;
import archy.nostr.EventSigner;
import archy.nostr.Keys;
import archy.plugin.EventGateway;
import archy.plugin.Origin;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's one kind 10021 paid-service advert (PROTOCOLS.md §2.4, TollGate TIP-01/02 shape). Kind 10021 is
 * replaceable, so two plugins publishing their own would overwrite each other: each plugin that sells a service
 * (paid-blobs' {@code content-download}, relay-bandwidth's {@code relay-bandwidth}) adds its lines here with
 * {@link #offer}, and this one advert carries them all after the shared {@code metric} and {@code step_size}.
 * ecash-gate publishes it as a service; a seller calls {@link #publishIfChanged} from its own schedule (several
 * callers are harmless: an unchanged offer is published once a day).
 */
public final class ServiceOffers {
  public static final int KIND = 10021;
  private static final Logger log = LoggerFactory.getLogger(ServiceOffers.class);

  private final Keys keys;
  private final Clock clock;
  private final Map<String, Supplier<List<List<String>>>> services = new LinkedHashMap<>();
  private List<List<String>> lastTags;
  private long lastPublished;

  public ServiceOffers(Keys keys, Clock clock) {
    this.keys = keys;
    this.clock = clock;
  }

  /**
   * Adds a service to the offer: {@code tags} (read at each check) are its price lines, its {@code ["service", …]}
   * tag and its endpoints. Tags equal to one already in the offer (another service's endpoint) appear once.
   */
  public synchronized void offer(String service, Supplier<List<List<String>>> tags) {
    if (services.putIfAbsent(service, tags) != null) {
      throw new IllegalStateException("the service " + service + " is offered twice");
    }
  }

  /** The merged tags, services in the order they were offered; empty when no service is offered. */
  public synchronized List<List<String>> tags() {
    if (services.isEmpty()) return List.of();
    List<List<String>> tags = new ArrayList<>();
    tags.add(List.of("metric", "bytes"));
    tags.add(List.of("step_size", "1000000"));
    for (Supplier<List<List<String>>> service : services.values()) {
      for (List<String> tag : service.get()) {
        if (!tags.contains(tag)) tags.add(List.copyOf(tag));
      }
    }
    return tags;
  }

  public Event event() {
    return EventSigner.sign(keys, clock.instant().getEpochSecond(), KIND, tags(), "");
  }

  /** Publishes when the offer changed (a price, a mint, a service) or once a day to keep it fresh. */
  public synchronized void publishIfChanged(EventGateway events) {
    List<List<String>> tags = tags();
    if (tags.isEmpty()) return;
    long now = clock.instant().getEpochSecond();
    if (tags.equals(lastTags) && now - lastPublished < 86_400) return;
    try {
      EventGateway.Published result = events.publish(EventSigner.sign(keys, now, KIND, tags, ""), Origin.INTERNAL).get();
      if (!result.accepted()) {
        log.warn("the kind 10021 offer was refused: {}", result.message());
        return;
      }
      lastTags = tags;
      lastPublished = now;
      log.info("published the kind 10021 offer ({} services, {} price lines)", services.size(),
          tags.stream().filter(t -> t.get(0).equals("price_per_step")).count());
    } catch (Exception e) {
      log.warn("publishing the kind 10021 offer failed: {}", e.getMessage());
    }
  }
}
