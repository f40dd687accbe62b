package archy.film.fetch;

import archy.blossom.BlossomTokens;
import archy.film.CatalogFilm;
import archy.film.Endpoint;
import archy.film.FilmCatalog;
import archy.film.Seeder;
import archy.http.PublicAddresses;
import archy.nostr.Keys;
import archy.plugin.BlobInfo;
import archy.plugin.BlobSource;
import archy.plugin.Blobs;
import archy.plugin.MissingBlobHook;
import archy.plugin.Origin;
import archy.quic.QuicNetwork;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetch-through ("swarm-assist, origin always wins", PROTOCOLS.md §4): a GET for a blob of a trusted catalog film
 * that this node lacks is fetched from the film's seeders (30081 endpoints, free and cheap first), then from the
 * origin Blossom servers, stored (owned by the node) and served by the host. The blob may be known by sha256 only
 * (a variant playlist or segment the film's playlists name) or by BLAKE3 only (the event's list).
 *
 * <p>Every request carries a BUD-11 {@code get} token signed by the node key, so a source that counts this node
 * among its {@code free_peers} serves it free. Sources are first asked without paying, so a free origin always
 * beats a priced seeder; only when none serves free is the {@link Payer} service (paid-blobs' auto-pay client,
 * within its caps) asked to pay the 402s, in the same order. Only hashes the catalog names are fetched, and only
 * from addresses the catalog holds (adverts that passed its trust gate, configured origins): never a URL from the
 * request, never this node itself. {@link Blobs#store} checks the hashes, so wrong bytes from one source keep
 * nothing and the next is tried. Concurrent GETs of one blob share one fetch.
 *
 * <p>Relays (issue 14, PROTOCOLS.md §5.2): for a GET, and for the playlist reader, a blob that no direct source
 * served is asked of the relays the {@link RelayDirectory} knows over {@code archy/relay/1}, paid like a seeder
 * (first, before any direct source, with {@code prefer_relay = true}). Never for a relay request this node serves
 * ({@link BlobFetcher#fetch}, {@link BlobFetcher#open}: single hop), never through this node itself, and never
 * through the node whose GET this is (C asking B, B asking C for it again, would be a loop).
 */
public final class FetchThrough implements MissingBlobHook, BlobFetcher {
  private static final Logger log = LoggerFactory.getLogger(FetchThrough.class);
  /** Bounds what one source may stream into the store before its hash can be checked. */
  static final long MAX_BYTES = 2L << 30;

  private final FilmCatalog catalog;
  private final Blobs blobs;
  private final BlobHttp http;
  private final QuicNetwork quic;
  private final Keys nodeKeys;
  private final Supplier<Optional<Payer>> payer;
  private final boolean allowPrivate;
  private final String ownUrl;
  private final Clock clock;
  private final ConcurrentHashMap<String, CompletableFuture<BlobInfo>> inFlight = new ConcurrentHashMap<>();
  /** The fetches {@link #open} runs, by hash, that concurrent callers join. */
  private final ConcurrentHashMap<String, Tee> teeing = new ConcurrentHashMap<>();
  private final QuicFetch quicFetch;
  private final MeterRegistry metrics;
  private final RelayDirectory relays;
  private final RelayFetch relayFetch;
  private final boolean preferRelay;
  /**
   * Per blob: fetched (free), paid (fetched with a payment), relayed (through a relay), failed; per source tried:
   * source_refused, source_error.
   */
  private static final List<String> OUTCOMES = List.of("fetched", "paid", "relayed", "failed", "source_refused",
      "source_error");

  /**
   * @param payer       looked up at each fetch (paid-blobs installs after this plugin); empty: paid sources are skipped
   * @param ownUrl      this node's public URL, never asked
   * @param relays      the relays to fall back on (or prefer), or null for none
   * @param preferRelay relays before direct sources ({@code prefer_relay})
   */
  public FetchThrough(FilmCatalog catalog, Blobs blobs, BlobHttp http, QuicNetwork quic, Keys nodeKeys,
                      Supplier<Optional<Payer>> payer, boolean allowPrivate, String ownUrl, Clock clock, MeterRegistry metrics,
                      RelayDirectory relays, boolean preferRelay) {
    this.catalog = catalog;
    this.blobs = blobs;
    this.http = http;
    this.quic = quic;
    this.nodeKeys = nodeKeys;
    this.payer = payer;
    this.allowPrivate = allowPrivate;
    this.ownUrl = trim(ownUrl);
    this.clock = clock;
    this.metrics = metrics;
    this.quicFetch = new QuicFetch(quic, blobs, catalog, nodeKeys.publicKeyHex());
    this.relays = relays;
    this.relayFetch = new RelayFetch(quic, nodeKeys.publicKeyHex());
    this.preferRelay = preferRelay;
    for (String outcome : OUTCOMES) outcome(outcome, 0);
  }

  private void outcome(String outcome, int n) {
    Counter.builder("archy.film.fetch").tag("outcome", outcome)
        .description("Fetch-through of missing catalog blobs: fetched, paid, relayed or failed per blob, source_refused or"
            + " source_error per source tried").register(metrics).increment(n);
  }

  @Override
  public Optional<BlobSource> sourceFor(String sha256, String blake3, Origin origin) {
    String sha = sha256 != null ? sha256 : catalog.sha256ForBlake3(blake3).orElse(null);
    List<CatalogFilm> films = catalog.filmsContaining(sha, blake3);
    if (films.isEmpty()) return Optional.empty();
    // By BLAKE3 the sha256 of a master playlist is its film's x tag; origins are asked by sha256 whenever known.
    String s = sha != null ? sha : films.stream().filter(f -> blake3.equals(f.playlistBlake3()))
        .map(CatalogFilm::masterSha256).findFirst().orElse(null);
    // Nowhere to ask (no HTTP source, no QUIC seeder of a blob whose BLAKE3 is known): the host's plain 404.
    String b3 = blake3 != null ? blake3 : catalog.blake3ForSha256(s).orElse(null);
    if (sources(s, blake3).isEmpty() && (b3 == null || (quicSources(s, b3).isEmpty() && relaysFor(origin.authedPubkeys()).isEmpty()))) {
      return Optional.empty();
    }
    return Optional.of(new BlobSource(s, blake3, null, nodeKeys.publicKeyHex(), () -> {
      BlobInfo blob = fetch(s, blake3, origin.authedPubkeys(), Tee.NONE);
      return blobs.open(blob, 0, blob.size());
    }));
  }

  /**
   * The blob from direct sources only (seeders, origins), never through a relay: relay-bandwidth asks this for the
   * blob it relays, and a relay fetching through another relay would be a second hop.
   */
  @Override
  public BlobInfo fetch(String sha256, String blake3) throws IOException {
    return fetch(sha256, blake3, null, Tee.NONE);
  }

  /**
   * {@link #fetch}, handing the bytes on as they arrive: the fetch runs on its own virtual thread and this returns
   * once the first source with a known size answers ({@link Tee}). A concurrent call for the same blob joins that
   * fetch and reads the same bytes, so the blob is fetched upstream once.
   */
  @Override
  public Incoming open(String sha256, String blake3) throws IOException {
    Optional<BlobInfo> held = sha256 != null ? blobs.bySha256(sha256) : blobs.byBlake3(blake3);
    if (held.isPresent()) return new Incoming.Held(held.get());
    String key = sha256 != null ? sha256 : blake3;
    Tee mine = Tee.forReaders();
    Tee running = teeing.putIfAbsent(key, mine);
    if (running != null) return running.incoming();
    Thread.ofVirtual().name("fetch-through-tee").start(() -> {
      try {
        mine.over(fetch(sha256, blake3, null, mine), null);
      } catch (IOException e) {
        mine.over(null, e);
      } catch (RuntimeException e) {
        mine.over(null, new IOException(e.getMessage(), e));
      } finally {
        teeing.remove(key, mine);
      }
    });
    return mine.incoming();
  }

  /**
   * The blob, held already or fetched now (by this call or a concurrent one), for a blob the caller knows belongs
   * to a catalog film (the playlist reader), falling back on relays. At least one hash is given.
   *
   * @throws IOException when no source served it
   */
  public BlobInfo fetchAny(String sha256, String blake3) throws IOException {
    return fetch(sha256, blake3, Set.of(), Tee.NONE);
  }

  /**
   * @param avoid null: direct sources only; else relays may be used, except the nodes named (the requester)
   * @param tee   who else takes the bytes as they arrive (not used when a concurrent fetch is joined)
   */
  private BlobInfo fetch(String sha256, String blake3, Set<String> avoid, Tee tee) throws IOException {
    Optional<BlobInfo> held = sha256 != null ? blobs.bySha256(sha256) : blobs.byBlake3(blake3);
    if (held.isPresent()) return held.get();
    // A relay request never joins a fetch that may go through a relay (it would be a second hop).
    String key = (avoid == null ? "direct:" : "any:") + (sha256 != null ? sha256 : blake3);
    CompletableFuture<BlobInfo> mine = new CompletableFuture<>();
    CompletableFuture<BlobInfo> running = inFlight.putIfAbsent(key, mine);
    if (running != null) return await(running);
    try {
      // A fetch that finished between the lookup above and now has stored it already.
      Optional<BlobInfo> stored = sha256 != null ? blobs.bySha256(sha256) : blobs.byBlake3(blake3);
      BlobInfo blob = stored.isPresent() ? stored.get() : fetchFromSources(sha256, blake3, avoid, tee);
      mine.complete(blob);
      return blob;
    } catch (IOException | RuntimeException e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      inFlight.remove(key, mine);
    }
  }

  /** The seeders' pinned QUIC endpoints of archy/paid-blobs/1, in {@link FilmCatalog#seeders} order. */
  private List<Endpoint> quicSources(String sha256, String blake3) {
    List<Endpoint> out = new ArrayList<>();
    String self = nodeKeys.publicKeyHex();
    for (Seeder seeder : catalog.seeders(sha256, blake3)) {
      if (seeder.pubkey().equals(self)) continue;
      for (Endpoint e : seeder.endpoints()) {
        if (e.isPinnedQuic() && QuicFetch.ALPN.equals(e.alpn()) && !e.fingerprint().equals(quic.fingerprint())) out.add(e);
      }
    }
    return out;
  }

  /** Base URLs to try: the seeders' HTTP endpoints in {@link FilmCatalog#seeders} order, then the origins. */
  private List<String> sources(String sha256, String blake3) {
    List<String> bases = new ArrayList<>();
    String self = nodeKeys.publicKeyHex();
    for (Seeder seeder : catalog.seeders(sha256, blake3)) {
      if (seeder.pubkey().equals(self)) continue;
      for (Endpoint e : seeder.endpoints()) {
        if (e.isHttp() && !trim(e.address()).equals(ownUrl) && !bases.contains(e.address())) bases.add(e.address());
      }
    }
    for (String origin : catalog.originServers()) {
      if (!origin.equals(ownUrl) && !bases.contains(origin)) bases.add(origin);
    }
    return bases;
  }

  /** The known relays this fetch may go through: none for a direct fetch, never a node in {@code avoid}. */
  private List<KnownRelay> relaysFor(Set<String> avoid) {
    if (relays == null || avoid == null) return List.of();
    List<KnownRelay> out = new ArrayList<>();
    for (KnownRelay r : relays.relays()) {
      if (avoid.contains(r.pubkey()) || r.fingerprint().equals(quic.fingerprint())) continue;
      if (allowPrivate || isPublic(r.hostPort())) out.add(r);
    }
    return out;
  }

  private static boolean isPublic(String hostPort) {
    try {
      return PublicAddresses.isPublicHost(URI.create("quic://" + hostPort).getHost());
    } catch (IOException | IllegalArgumentException unresolvable) {
      return false;
    }
  }

  private BlobInfo fetchFromSources(String sha256, String blake3, Set<String> avoid, Tee tee) throws IOException {
    String b3 = blake3 != null ? blake3 : catalog.blake3ForSha256(sha256).orElse(null);
    List<KnownRelay> through = b3 == null ? List.of() : relaysFor(avoid);
    if (preferRelay) {
      Optional<BlobInfo> relayed = viaRelays(through, sha256, b3, tee);
      if (relayed.isPresent()) return relayed.get();
    }
    Optional<BlobInfo> direct = direct(sha256, blake3, b3, tee);
    if (direct.isPresent()) return direct.get();
    if (!preferRelay) {
      Optional<BlobInfo> relayed = viaRelays(through, sha256, b3, tee);
      if (relayed.isPresent()) return relayed.get();
    }
    outcome("failed", 1);
    throw new IOException("no seeder" + (through.isEmpty() ? "" : ", relay") + " or origin served blob "
        + (sha256 != null ? sha256 : "blake3:" + blake3));
  }

  /** Each relay in turn, paid through the payer (when there is one) within its caps; the store checks the hashes. */
  private Optional<BlobInfo> viaRelays(List<KnownRelay> through, String sha256, String b3, Tee tee) {
    Payer p = payer.get().orElse(null);
    for (KnownRelay relay : through) {
      try (RelayFetch.Opened opened = relayFetch.open(relay, b3, 0, p)) {
        Blobs.StoreResult result = tee.store(blobs, new BlobSource(sha256, b3, null, nodeKeys.publicKeyHex(),
            () -> tee.open(opened.body(), opened.size())), MAX_BYTES);
        if (result instanceof Blobs.StoreResult.Stored stored) {
          catalog.learnSha256(stored.blob().blake3(), stored.blob().sha256());
          outcome("relayed", 1);
          log.info("fetch-through: blob blake3:{} relayed by {} ({}){}", b3, relay.pubkey(), relay.hostPort(),
              opened.satsPaid() > 0 ? ", paid " + opened.satsPaid() + " sat" : "");
          return Optional.of(stored.blob());
        }
        outcome("source_refused", 1);
        log.info("fetch-through: relay {} sent other bytes: {}", relay.hostPort(), ((Blobs.StoreResult.Refused) result).reason());
      } catch (PaymentDeclined e) {
        log.info("fetch-through: not paying relay {}: {}", relay.hostPort(), e.getMessage());
      } catch (IOException | RuntimeException e) {
        outcome("source_error", 1);
        log.info("fetch-through: relay {} failed for blake3:{}: {}", relay.hostPort(), b3, e.getMessage());
      }
    }
    return Optional.empty();
  }

  /** The seeders, then the origins: free first, then paid through the payer. */
  private Optional<BlobInfo> direct(String sha256, String blake3, String b3, Tee tee) throws IOException {
    // Seeders that serve archy/paid-blobs/1 with a pinned certificate are asked over QUIC first (by BLAKE3).
    List<Endpoint> quicAsksPayment = new ArrayList<>();
    for (Endpoint e : b3 == null ? List.<Endpoint>of() : quicSources(sha256, b3)) {
      if (!allowPrivate && !PublicAddresses.isPublicHost(URI.create("quic://" + e.address()).getHost())) continue;
      QuicFetch.Outcome outcome = quicFetch.fetch(e, sha256, b3, null, tee);
      if (outcome instanceof QuicFetch.Outcome.Stored stored) {
        outcome("fetched", 1);
        return Optional.of(stored.blob());
      }
      if (outcome instanceof QuicFetch.Outcome.AsksPayment) quicAsksPayment.add(e);
    }
    String path = sha256 != null ? "/" + sha256 : "/b3/" + blake3;
    List<URI> asksPayment = new ArrayList<>();
    for (String base : sources(sha256, blake3)) {
      URI uri = URI.create(base + path);
      if (!allowPrivate && !PublicAddresses.isPublicHost(uri.getHost())) {
        log.debug("fetch-through: skipping {}, a private or loopback address", base);
        continue;
      }
      try {
        Optional<BlobInfo> blob = storeFrom(uri, sha256, blake3, null, tee);
        if (blob.isPresent()) return blob;
      } catch (BlobHttp.PaymentNeeded e) {
        asksPayment.add(uri);
      }
    }
    Payer p = payer.get().orElse(null);
    if (p == null && !asksPayment.isEmpty()) {
      log.info("fetch-through: {} source(s) of {} ask for payment and this node has no payer", asksPayment.size(),
          sha256 != null ? sha256 : blake3);
    }
    for (Endpoint e : p == null ? List.<Endpoint>of() : quicAsksPayment) {
      if (quicFetch.fetch(e, sha256, b3, p, tee) instanceof QuicFetch.Outcome.Stored stored) {
        outcome("paid", 1);
        return Optional.of(stored.blob());
      }
    }
    for (URI uri : p == null ? List.<URI>of() : asksPayment) {
      Optional<BlobInfo> blob = storeFrom(uri, sha256, blake3, p, tee);
      if (blob.isPresent()) return blob;
    }
    return Optional.empty();
  }

  /**
   * One source into the store; empty (logged) when it failed or sent other bytes.
   *
   * @throws BlobHttp.PaymentNeeded when {@code payer} is null and the source asks for payment
   */
  private Optional<BlobInfo> storeFrom(URI uri, String sha256, String blake3, Payer payer, Tee tee)
      throws BlobHttp.PaymentNeeded {
    String auth = BlossomTokens.header(nodeKeys, "get", uri.getHost(), sha256, clock.instant().getEpochSecond());
    long[] paid = {0};
    try {
      Blobs.StoreResult result = tee.store(blobs, new BlobSource(sha256, blake3, null, nodeKeys.publicKeyHex(), () -> {
        try {
          BlobHttp.Opened opened = http.open(uri, Map.of("Authorization", auth), payer, -1);
          paid[0] = opened.satsPaid();
          return tee.open(opened.body(), opened.length());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted fetching " + uri);
        } catch (PaymentDeclined e) {
          throw new IOException("payment declined: " + e.getMessage(), e);
        }
      }), MAX_BYTES);
      if (result instanceof Blobs.StoreResult.Stored stored) {
        BlobInfo blob = stored.blob();
        catalog.learnSha256(blob.blake3(), blob.sha256());
        outcome(paid[0] > 0 ? "paid" : "fetched", 1);
        log.info("fetch-through: blob {} fetched from {}{}", blob.sha256(), uri.getAuthority(),
            paid[0] > 0 ? ", paid " + paid[0] + " sat" : "");
        return Optional.of(blob);
      }
      outcome("source_refused", 1);
      log.info("fetch-through: {} refused: {}", uri, ((Blobs.StoreResult.Refused) result).reason());
    } catch (BlobHttp.PaymentNeeded e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      outcome("source_error", 1);
      log.info("fetch-through: {} failed: {}", uri, e.getMessage());
    }
    return Optional.empty();
  }

  private static BlobInfo await(CompletableFuture<BlobInfo> running) throws IOException {
    try {
      return running.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted waiting for a concurrent fetch");
    } catch (ExecutionException e) {
      throw new IOException("the shared fetch failed: " + e.getCause().getMessage(), e.getCause());
    }
  }

  private static String trim(String url) {
    return url == null ? "" : url.replaceAll("/+$", "");
  }
}
