package archy.film;

import archy.config.ConfigSection;
import archy.film.advert.Advertiser;
import archy.film.advert.UpstreamPublisher;
import archy.film.backstage.BackstageRoute;
import archy.film.event.FilmEvent;
import archy.film.event.SeedAdvert;
import archy.film.http.CatalogLanding;
import archy.film.http.CatalogRoute;
import archy.film.fetch.BlobFetcher;
import archy.film.fetch.BlobHttp;
import archy.film.fetch.FetchThrough;
import archy.film.fetch.Payer;
import archy.film.fetch.RelayDirectory;
import archy.film.hls.PlaylistCrawler;
import archy.film.http.FilmBlobRoute;
import archy.film.key.FilmKeyRoute;
import archy.film.key.FilmKeys;
import archy.film.index.CatalogIndex;
import archy.film.index.CatalogReader;
import archy.film.index.IndexWorker;
import archy.film.nip71.Companions;
import archy.film.sync.SyncCursors;
import archy.film.sync.UpstreamSync;
import archy.film.trust.AdvertGate;
import archy.film.trust.PublisherTrust;
import archy.film.web.FilmsPages;
import archy.nostr.Kinds;
import archy.plugin.PluginContext;
import archy.plugin.RelayPlugin;
import io.micrometer.core.instrument.Gauge;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The film catalog (issue 5, PROTOCOLS.md §2–§4): validates and gates kinds 30082/30081, indexes trusted
 * films and seed adverts into its own tables, serves {@code /api/film-catalog}, publishes the
 * {@link FilmCatalog} service, syncs from upstream relays and, when asked, publishes NIP-71 companions.
 */
public final class FilmCatalogPlugin implements RelayPlugin {
  public static final String NAME = "film-catalog";
  private static final Logger log = LoggerFactory.getLogger(FilmCatalogPlugin.class);
  private static final long PURGE_SECONDS = 60;

  private static final Duration FETCH_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  /** Until a source's status line and headers arrive. */
  private static final Duration FETCH_RESPONSE_TIMEOUT = Duration.ofSeconds(30);

  private IndexWorker worker;
  private PlaylistCrawler crawler;
  private UpstreamSync sync;
  private BackstageRoute backstage;
  private final List<ScheduledFuture<?>> periodic = new ArrayList<>();

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void readConfig(ConfigSection section) {
    FilmCatalogConfig.from(section);
  }

  @Override
  public void install(PluginContext ctx) throws Exception {
    FilmCatalogConfig config = FilmCatalogConfig.from(ConfigSection.of(NAME, ctx.config()));
    ctx.migrate();
    PublisherTrust trust = new PublisherTrust(config.trustedPublishers(), config.filmRoots());
    AdvertGate adverts = new AdvertGate(trust, config.federationPeers(), ctx.nodeKeys().publicKeyHex(),
        config.openAdverts(), config.advertsPerMinute(), ctx.clock());
    CatalogReader reader = new CatalogReader(ctx.dataSource());
    Companions companions = null;
    if (config.publishNip71()) {
      companions = new Companions(ctx.nodeKeys(), ctx.events(), ctx.dataSource(), ctx.publicUrl(), ctx.clock(),
          work -> worker.execute(work));
      companions.load();
    }
    CatalogIndex index = new CatalogIndex(ctx.dataSource(), reader, trust, ctx.events(), companions,
        config.maxFilmEventBytes(), ctx.clock(), ctx.dialect());
    worker = new IndexWorker(index::index);

    ctx.hooks().rejectEvent(new FilmPolicy(config, trust, adverts, ctx.clock()));
    ctx.hooks().onEventSaved(event -> {
      switch (event.kind()) {
        case FilmEvent.KIND, SeedAdvert.KIND, PublisherTrust.LIST_KIND, Kinds.DELETION -> worker.saved(event);
        default -> { }
      }
    });
    CatalogService catalog = new CatalogService(reader, ctx.dataSource(), trust, config.originServers(), ctx.blobs(),
        ctx.clock());
    ctx.services().publish(FilmCatalog.class, catalog);
    ctx.route(CatalogRoute.PATH, new CatalogRoute(reader, ctx.blobs()::countHeld, relayUrl(ctx.publicUrl()),
        ctx.clock()));
    BlobHttp http = new BlobHttp(BlobHttp.client(FETCH_CONNECT_TIMEOUT), FETCH_RESPONSE_TIMEOUT);
    FetchThrough fetch = new FetchThrough(catalog, ctx.blobs(), http, ctx.quic(), ctx.nodeKeys(),
        () -> ctx.services().find(Payer.class), config.fetchAllowPrivate(), ctx.publicUrl(), ctx.clock(),
        ctx.metrics(), new RelayDirectory(ctx.events(), config.upstreamRelays(), ctx.nodeKeys().publicKeyHex(),
            ctx.clock()), config.preferRelay());
    ctx.hooks().onBlobMissing(fetch);
    ctx.services().publish(BlobFetcher.class, fetch);
    Gauge.builder("archy.film.listed", reader, FilmCatalogPlugin::listed)
        .description("Films the catalog lists (trusted publishers, newest version each)").register(ctx.metrics());
    ctx.route("/api/film", new FilmBlobRoute(catalog, ctx.blobs()));
    FilmsPages pages = new FilmsPages();
    ctx.route(FilmsPages.PATH, pages);
    ctx.route(FilmsPages.BACKSTAGE, pages);
    backstage = new BackstageRoute(ctx.dataDir(), config.backstageMaxBytes(), ctx.blobs(), catalog, ctx.events(),
        ctx.publicUrl(), ctx.clock());
    ctx.route(BackstageRoute.PATH, backstage);
    ctx.route(FilmKeyRoute.PATH, new FilmKeyRoute(new FilmKeys(ctx.dataSource(), worker::submit), catalog,
        ctx.publicUrl(), ctx.clock()));
    crawler = new PlaylistCrawler(reader, ctx.dataSource(), worker, catalog, ctx.blobs(), fetch, ctx.clock());
    index.onFilmListed(f -> crawler.crawl(f.pubkey(), f.d(), f.eventId(), f.masterSha256(), f.playlist()));
    index.onAdvertIndexed(a -> {
      if (a.filmPubkey() != null) crawler.sourceAppeared(a.filmPubkey(), a.filmD());
    });
    ctx.landingSection("Films", new CatalogLanding(reader, relayUrl(ctx.publicUrl()), config.storeUntrusted(),
        ctx.clock()));

    // Start consistent: trust from the stored lists, the index matching the stored events.
    try {
      worker.submit(() -> {
        try {
          index.rebuild();
        } catch (SQLException e) {
          throw new IllegalStateException("rebuilding the film catalog failed", e);
        }
      }).join();
    } catch (CompletionException e) {
      log.warn("the film catalog starts without a rebuild; it fills as events arrive", e.getCause());
    }
    periodic.add(ctx.scheduler().scheduleWithFixedDelay(() -> worker.execute(index::refreshTrust),
        config.trustRefreshSeconds(), config.trustRefreshSeconds(), TimeUnit.SECONDS));
    periodic.add(ctx.scheduler().scheduleWithFixedDelay(() -> worker.execute(index::purgeExpiredAdverts),
        PURGE_SECONDS, PURGE_SECONDS, TimeUnit.SECONDS));
    // Films listed before this start, new trust, and unreachable playlists retried with back-off.
    periodic.add(ctx.scheduler().scheduleWithFixedDelay(crawler::crawlDue, 0, config.playlistRetrySeconds(),
        TimeUnit.SECONDS));

    if (config.advertise()) startAdvertising(ctx, config, reader);

    if (!config.upstreamRelays().isEmpty()) {
      sync = new UpstreamSync(config.upstreamRelays(), trust, adverts, ctx.events(),
          new SyncCursors(ctx.dataSource(), worker), worker::barrier, ctx.scheduler(), ctx.clock(),
          config.syncSlackSeconds(), ctx.metrics());
      index.onTrustChange(sync::trustChanged);
      sync.start();
    }
    log.info("film catalog: {} trusted publishers, {} film roots, {} upstream relays, untrusted films {}",
        trust.trusted().size(), config.filmRoots().size(), config.upstreamRelays().size(),
        config.storeUntrusted() ? "stored unlisted" : "rejected");
  }

  /**
   * Seed adverts (PROTOCOLS.md §2.2) need an endpoint others can use: an https public URL, or plain http where
   * this node itself accepts plain-http endpoints (fetch_allow_private: tests and LANs).
   */
  private void startAdvertising(PluginContext ctx, FilmCatalogConfig config, CatalogReader reader) {
    String url = ctx.publicUrl();
    if (!url.startsWith("https://") && !config.fetchAllowPrivate()) {
      log.info("film catalog: not advertising as a seeder: public_url {} is not https (set [server] public_url)", url);
      return;
    }
    Advertiser advertiser = new Advertiser(reader, ctx.blobs()::countHeld, ctx.events(),
        new UpstreamPublisher(config.upstreamRelays()), ctx.nodeKeys(), url, ctx.quic(), config.advertSeconds(),
        ctx.clock());
    // A pass publishes and waits for its commits: a virtual thread, so the shared scheduler is never held.
    periodic.add(ctx.scheduler().scheduleWithFixedDelay(
        () -> Thread.ofVirtual().name("film-catalog-adverts").start(advertiser::check),
        config.advertCheckSeconds(), config.advertCheckSeconds(), TimeUnit.SECONDS));
    // A film whose playlists were just read may now be held whole (a film published here): look at once.
    crawler.afterRead(() -> Thread.ofVirtual().name("film-catalog-adverts").start(advertiser::check));
  }

  @Override
  public void close() {
    periodic.forEach(f -> f.cancel(false));
    if (sync != null) sync.close();
    if (backstage != null) backstage.close();
    if (crawler != null) crawler.close();
    if (worker != null) worker.close();
  }

  private static double listed(CatalogReader reader) {
    try {
      return reader.listedCount();
    } catch (SQLException e) {
      return Double.NaN;
    }
  }

  /** The relay's WebSocket URL for naddr hints: the public URL with ws(s) for http(s). */
  static String relayUrl(String publicUrl) {
    if (publicUrl.startsWith("https://")) return "wss://" + publicUrl.substring("https://".length());
    if (publicUrl.startsWith("http://")) return "ws://" + publicUrl.substring("http://".length());
    return publicUrl;
  }
}
