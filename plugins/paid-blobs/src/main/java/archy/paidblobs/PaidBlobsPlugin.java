package archy.paidblobs;

import archy.config.ConfigSection;
import archy.ecash.gate.PaymentGate;
import archy.ecash.offer.ServiceOffers;
import archy.ecash.wallet.Wallet;
import archy.film.FilmCatalog;
import archy.film.fetch.BlobHttp;
import archy.film.fetch.Payer;
import archy.paidblobs.client.AutoPayClient;
import archy.paidblobs.client.WalletTokens;
import archy.plugin.PluginContext;
import archy.plugin.RelayPlugin;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Charges for the bytes of monetized films: a {@code rejectGet} policy on every Blossom path that serves
 * blob bytes ({@code /<sha256>}, {@code /b3/<blake3>}, and film-catalog's {@code /api/film/<blake3>}, which
 * answers through the host's Blossom GET), paid through ecash-gate's {@link PaymentGate}, with
 * prices from film-catalog's {@link FilmCatalog}; optionally publishes the node's kind 10021 offer.
 */
public final class PaidBlobsPlugin implements RelayPlugin {
  private static final Logger log = LoggerFactory.getLogger(PaidBlobsPlugin.class);

  @Override
  public String name() {
    return PaidBlobsConfig.SECTION;
  }

  @Override
  public void readConfig(ConfigSection section) {
    PaidBlobsConfig.from(section);
  }

  @Override
  public void install(PluginContext ctx) {
    PaymentGate gate = ctx.services().find(PaymentGate.class).orElseThrow(() -> new IllegalStateException(
        "paid-blobs needs the ecash-gate plugin, started before it ([plugins] enabled)"));
    FilmCatalog catalog = ctx.services().find(FilmCatalog.class).orElseThrow(() -> new IllegalStateException(
        "paid-blobs needs the film-catalog plugin, started before it ([plugins] enabled)"));
    PaidBlobsConfig config = PaidBlobsConfig.from(ConfigSection.of(name(), ctx.config()));
    ctx.hooks().rejectGet(new PaidGetPolicy(gate, catalog, config.freePeers(), config.freeScopes()));
    // The same policies over QUIC (PROTOCOLS.md §5.1): one session pays on both transports.
    ctx.quic().register(QuicPaidBlobs.ALPN, new QuicPaidBlobs(ctx.hooks(), ctx.blobs(), gate));
    if (config.publishOffer()) {
      ServiceOffers offers = ctx.services().find(ServiceOffers.class).orElseThrow();
      offers.offer(PaymentGate.CONTENT_DOWNLOAD, new ServiceOffer(ctx.publicUrl(), gate, catalog, ctx.quic())::tags);
      // Replaceable (kind 10021): checked every few minutes, republished when a price or mint changed (and daily).
      // Publishing waits for the store's commit, so it runs on a virtual thread rather than holding the scheduler.
      ctx.scheduler().scheduleWithFixedDelay(
          () -> Thread.ofVirtual().name("paid-blobs-offer").start(() -> offers.publishIfChanged(ctx.events())),
          0, config.offerCheckSeconds(), TimeUnit.SECONDS);
    }
    // The node's own payer (fetch-through of priced films from other nodes), within [paid-blobs.client] caps; its
    // sessions are kept under the data dir so a restart does not pay again for bytes already bought.
    Wallet wallet = ctx.services().find(Wallet.class).orElseThrow();
    AutoPayClient payer = AutoPayClient.withSessionFile(BlobHttp.client(Duration.ofSeconds(5)), new WalletTokens(wallet),
        config.client(), ctx.clock(), ctx.dataDir().resolve("client-sessions.json"));
    ctx.services().publish(Payer.class, payer);
    log.info("paid-blobs: {} free peers, {} free scopes, offer {}", config.freePeers().size(),
        config.freeScopes().size(), config.publishOffer() ? "published" : "not published");
  }
}
