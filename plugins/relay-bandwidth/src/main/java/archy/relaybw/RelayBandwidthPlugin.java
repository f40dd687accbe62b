package archy.relaybw;

import archy.config.ConfigSection;
import archy.ecash.gate.PaymentGate;
import archy.ecash.offer.ServiceOffers;
import archy.film.FilmCatalog;
import archy.film.fetch.BlobFetcher;
import archy.plugin.PluginContext;
import archy.plugin.RelayPlugin;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Single-hop paid relay fetches (issue 14, PROTOCOLS.md §5.2): serves {@code archy/relay/1} on the node's QUIC port
 * ({@link RelayHandler}) and adds the {@code relay-bandwidth} service to the node's kind 10021 offer. Off unless
 * {@code [relay-bandwidth] enabled = true}. Needs ecash-gate (the gate, the offer) and film-catalog (the catalog and
 * its fetch-through), started before it.
 */
public final class RelayBandwidthPlugin implements RelayPlugin {
  /** How often the offer is compared with the prices, mints and endpoint (republished when it changed). */
  private static final long OFFER_CHECK_SECONDS = 60;
  private static final Logger log = LoggerFactory.getLogger(RelayBandwidthPlugin.class);
  private ScheduledFuture<?> offerCheck;

  @Override
  public String name() {
    return RelayBandwidthConfig.SECTION;
  }

  @Override
  public void readConfig(ConfigSection section) {
    RelayBandwidthConfig.from(section);
  }

  @Override
  public void install(PluginContext ctx) {
    RelayBandwidthConfig config = RelayBandwidthConfig.from(ConfigSection.of(name(), ctx.config()));
    if (!config.enabled()) {
      log.info("relay-bandwidth: off ([relay-bandwidth] enabled = false)");
      return;
    }
    PaymentGate gate = need(ctx, PaymentGate.class, "ecash-gate");
    FilmCatalog catalog = need(ctx, FilmCatalog.class, "film-catalog");
    BlobFetcher fetcher = need(ctx, BlobFetcher.class, "film-catalog");
    ctx.quic().register(RelayHandler.ALPN, new RelayHandler(ctx.nodeKeys().publicKeyHex(), gate, catalog, ctx.blobs(),
        fetcher, config, ctx.metrics()));
    ServiceOffers offers = need(ctx, ServiceOffers.class, "ecash-gate");
    offers.offer(PaymentGate.RELAY_BANDWIDTH, new RelayOffer(gate, ctx.quic())::tags);
    // The quic endpoint is known once the port opened, after every plugin installed: the first check waits a moment.
    offerCheck = ctx.scheduler().scheduleWithFixedDelay(
        () -> Thread.ofVirtual().name("relay-bandwidth-offer").start(() -> offers.publishIfChanged(ctx.events())),
        1, OFFER_CHECK_SECONDS, TimeUnit.SECONDS);
    log.info("relay-bandwidth: relaying public film blobs at {} sat/MB, {} bytes per session, {} at once per peer",
        gate.satsPerMb(RelayHandler.SERVICE, RelayHandler.SCOPE), config.maxSessionBytes(), config.maxConcurrentPerPeer());
  }

  private static <T> T need(PluginContext ctx, Class<T> type, String plugin) {
    return ctx.services().find(type).orElseThrow(() -> new IllegalStateException(
        "relay-bandwidth needs the " + plugin + " plugin, started before it ([plugins] enabled)"));
  }

  @Override
  public void close() {
    if (offerCheck != null) offerCheck.cancel(false);
  }
}
