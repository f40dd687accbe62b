package archy.film.sync;

import archy.film.event.FilmEvent;
import archy.film.event.SeedAdvert;
import archy.film.trust.AdvertGate;
import archy.film.trust.PublisherTrust;
import archy.nostr.Event;
import archy.nostr.Kinds;
import archy.plugin.EventGateway;
import archy.plugin.Origin;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import archy.negentropy.LocalSide;
import archy.negentropy.RelaySync;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Pulls catalog events from the configured upstream relays: the film roots' trust lists, films (kind 30082)
 * of trusted publishers and seed adverts (kind 30081) of trusted publishers and peers (anyone's when adverts
 * are open). Everything goes through {@link EventGateway#publish} as {@link Origin#INTERNAL}, so it meets
 * the same checks as a client's EVENT. One {@link UpstreamLink} per relay does the protocol.
 */
public final class UpstreamSync implements AutoCloseable {
  /** Authors per filter, well under relays' usual max_filter_values. */
  private static final int AUTHORS_PER_FILTER = 500;
  private static final long CHECKPOINT_SECONDS = 30;
  static final ObjectMapper JSON = new ObjectMapper();

  private final List<UpstreamLink> links = new ArrayList<>();
  private final PublisherTrust trust;
  private final AdvertGate adverts;
  private final EventGateway events;
  private final Supplier<CompletableFuture<Void>> settled;
  private final ScheduledExecutorService scheduler;
  private final Clock clock;
  private final HttpClient http;
  private final LocalSide local;
  private final Map<URI, Map<RelaySync.Method, Counter>> reconciled = new HashMap<>();
  private ScheduledFuture<?> checkpoints;

  /**
   * @param settled completes when every event published so far has been indexed (and trust lists applied)
   */
  public UpstreamSync(List<URI> upstreams, PublisherTrust trust, AdvertGate adverts, EventGateway events,
                      SyncCursors cursors, Supplier<CompletableFuture<Void>> settled,
                      ScheduledExecutorService scheduler, Clock clock, long slackSeconds, MeterRegistry metrics) {
    this.trust = trust;
    this.adverts = adverts;
    this.events = events;
    this.settled = settled;
    this.scheduler = scheduler;
    this.clock = clock;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    this.local = new CatalogSide(events, this::wanted);
    for (URI upstream : upstreams) {
      Map<RelaySync.Method, Counter> byMethod = new EnumMap<>(RelaySync.Method.class);
      for (RelaySync.Method m : RelaySync.Method.values()) {
        byMethod.put(m, Counter.builder("archy.film.sync.reconciliations").tag("upstream", upstream.toString())
            .tag("method", m == RelaySync.Method.NEGENTROPY ? "nip77" : "paging")
            .description("Catch-up filters reconciled with an upstream relay, by method: nip77 (it answered NEG-OPEN)"
                + " or paging (REQ pages after it refused NIP-77)")
            .register(metrics));
      }
      reconciled.put(upstream, byMethod);
      UpstreamLink link = new UpstreamLink(upstream, this, cursors, slackSeconds);
      links.add(link);
      Gauge.builder("archy.film.sync.lag", link, UpstreamLink::lagSeconds).baseUnit("seconds")
          .tag("upstream", upstream.toString())
          .description("Seconds since the catalog last held everything this upstream stored; 0 while caught up")
          .register(metrics);
    }
  }

  public void start() {
    links.forEach(UpstreamLink::connect);
    checkpoints = scheduler.scheduleWithFixedDelay(() -> links.forEach(UpstreamLink::checkpoint),
        CHECKPOINT_SECONDS, CHECKPOINT_SECONDS, TimeUnit.SECONDS);
  }

  /** New trusted publishers: fetch their history; every link also renews its live subscription. */
  public void trustChanged(PublisherTrust.Change change) {
    for (UpstreamLink link : links) link.trustChanged(change.added());
  }

  @Override
  public void close() {
    if (checkpoints != null) checkpoints.cancel(false);
    links.forEach(UpstreamLink::close);
    http.shutdownNow();
  }

  // ---- what the links use ----

  HttpClient http() {
    return http;
  }

  ScheduledExecutorService scheduler() {
    return scheduler;
  }

  long now() {
    return clock.instant().getEpochSecond();
  }

  CompletableFuture<Void> settled() {
    return settled.get();
  }

  LocalSide local() {
    return local;
  }

  void reconciled(URI upstream, RelaySync.Method method) {
    reconciled.get(upstream).get(method).increment();
  }

  /** Only what this sync asked for is ingested: a misbehaving upstream cannot push other kinds through us. */
  boolean wanted(Event e) {
    return switch (e.kind()) {
      case FilmEvent.KIND -> true;
      case SeedAdvert.KIND -> true;
      case PublisherTrust.LIST_KIND -> trust.isTrustList(e);
      // NIP-09 by the films' publishers and the advertisers (a seeder withdrawing its advert).
      case Kinds.DELETION -> trust.isTrusted(e.pubkey()) || adverts.isKnownAdvertiser(e.pubkey());
      default -> false;
    };
  }

  CompletableFuture<EventGateway.Published> ingest(Event e) {
    return events.publish(e, Origin.INTERNAL);
  }

  List<ObjectNode> listFilters() {
    if (trust.roots().isEmpty()) return List.of();
    ObjectNode f = filter(PublisherTrust.LIST_KIND, null);
    trust.roots().forEach(f.putArray("authors")::add);
    f.putArray("#d").add(PublisherTrust.LIST_D);
    return List.of(f);
  }

  List<ObjectNode> filmFilters(Set<String> authors, Long since) {
    return byAuthors(FilmEvent.KIND, authors, since);
  }

  /** Adverts from trusted publishers and peers, or from anyone when adverts are open. */
  List<ObjectNode> advertFilters(Set<String> publishers, Long since) {
    if (adverts.isOpen()) return List.of(filter(SeedAdvert.KIND, since));
    Set<String> advertisers = new HashSet<>(publishers);
    advertisers.addAll(adverts.peers());
    return byAuthors(SeedAdvert.KIND, advertisers, since);
  }

  Set<String> trusted() {
    return trust.trusted();
  }

  /** The open subscription for events published upstream from now on. */
  List<ObjectNode> liveFilters(long since) {
    List<ObjectNode> all = new ArrayList<>(listFilters());
    all.addAll(filmFilters(trust.trusted(), since));
    all.addAll(advertFilters(trust.trusted(), since));
    // Withdrawn adverts and deleted films, as they happen (earlier ones are caught by the adverts' expiry).
    Set<String> authors = new HashSet<>(trust.trusted());
    authors.addAll(adverts.peers());
    all.addAll(byAuthors(Kinds.DELETION, authors, since));
    return all;
  }

  /** Never an empty authors list: NIP-01 reads that as "no condition", which would pull in everyone's films. */
  private static List<ObjectNode> byAuthors(int kind, Set<String> authors, Long since) {
    List<ObjectNode> filters = new ArrayList<>();
    List<String> all = new ArrayList<>(authors);
    for (int i = 0; i < all.size(); i += AUTHORS_PER_FILTER) {
      ObjectNode f = filter(kind, since);
      all.subList(i, Math.min(all.size(), i + AUTHORS_PER_FILTER)).forEach(f.putArray("authors")::add);
      filters.add(f);
    }
    return filters;
  }

  private static ObjectNode filter(int kind, Long since) {
    ObjectNode f = JSON.createObjectNode();
    f.putArray("kinds").add(kind);
    if (since != null) f.put("since", since);
    return f;
  }
}
