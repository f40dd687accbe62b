package archy.ecash;

import archy.config.ConfigSection;
import archy.ecash.gate.EcashPaymentGate;
import archy.ecash.gate.GateConfig;
import archy.ecash.gate.PaymentGate;
import archy.ecash.mint.MintClient;
import archy.ecash.mint.MintException;
import archy.ecash.offer.ServiceOffers;
import archy.ecash.wallet.Mints;
import archy.ecash.wallet.Wallet;
import archy.ecash.wallet.WalletException;
import archy.plugin.PluginContext;
import archy.plugin.RelayPlugin;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code ecash-gate} plugin: migrates its tables, opens the wallet on the allow-listed mints and publishes
 * the {@link PaymentGate} (and the {@link Wallet}) for other plugins. On the shared scheduler it flushes session
 * debits; the jobs that call mints (keysets warmed, queued tokens retried, the wallet's journal swept and
 * interrupted transfers resumed) are {@link BackgroundJob}s, each on its own virtual thread, so one failing or
 * slow job never holds back another nor the debits.
 */
public final class EcashGatePlugin implements RelayPlugin {
  private static final Logger log = LoggerFactory.getLogger(EcashGatePlugin.class);
  private static final Duration JOBS_EVERY = Duration.ofSeconds(5);
  private static final int QUEUE_BATCH = 50;
  /** Under the data dir: debits the database did not take before the process stopped, applied at the next start. */
  static final String UNWRITTEN_DEBITS = "ecash-gate-unwritten-debits.tsv";

  private final List<ScheduledFuture<?>> tasks = new ArrayList<>();
  private volatile boolean closed;
  private EcashPaymentGate gate;
  private Wallet wallet;
  private GateConfig config;
  private volatile long lastRecovery;

  @Override
  public String name() {
    return GateConfig.SECTION;
  }

  @Override
  public void readConfig(ConfigSection section) {
    GateConfig.from(section);
  }

  @Override
  public void install(PluginContext ctx) throws SQLException, IOException {
    config = GateConfig.from(ConfigSection.of(name(), ctx.config()));
    ctx.needRequestHeader(config.maxTokenChars() + "X-Cashu: ".length()); // a token that long must reach us
    ctx.migrate();
    Db db = new Db(ctx.dataSource(), ctx.dialect());
    Mints mints = new Mints(config.mints(), url -> MintClient.create(url, config.mintTimeout()), ctx.clock(),
        config.keysetTtl());
    wallet = Wallet.open(db, mints, ctx.clock());
    gate = new EcashPaymentGate(db, wallet, config, ctx.clock(), ctx.metrics());
    gate.keepUnwrittenDebitsIn(ctx.dataDir().resolve(UNWRITTEN_DEBITS));
    ctx.services().publish(PaymentGate.class, gate);
    ctx.services().publish(Wallet.class, wallet);
    // The node's one kind 10021 offer, which every plugin selling a service adds its lines to.
    ctx.services().publish(ServiceOffers.class, new ServiceOffers(ctx.nodeKeys(), ctx.clock()));
    long flush = config.flushEvery().toMillis();
    tasks.add(ctx.scheduler().scheduleWithFixedDelay(this::flush, flush, flush, TimeUnit.MILLISECONDS));
    for (BackgroundJob job : List.of(new BackgroundJob("keysets", this::warmKeysets),
        new BackgroundJob("token-retries", () -> gate.retryQueued(QUEUE_BATCH)),
        new BackgroundJob("wallet-recovery", this::recoverWallet))) {
      tasks.add(ctx.scheduler().scheduleWithFixedDelay(() -> {
        if (!closed) job.start();
      }, 0, JOBS_EVERY.toMillis(), TimeUnit.MILLISECONDS));
    }
    // No warning here for an empty mints list: only a plugin that charges knows something is monetized
    // (paid-blobs warns once per priced film it then serves free).
    log.info("ecash-gate: {} accepted mint(s), fail_open {}", mints.urls().size(), config.failOpen());
  }

  private void flush() {
    try {
      gate.flush();
    } catch (SQLException | RuntimeException e) {
      log.warn("ecash-gate: flushing session debits failed, will retry: {}", e.getMessage());
    }
  }

  /** Keysets warmed, so payment requests can state fees without asking the mints on the request path. */
  private void warmKeysets() {
    for (String mint : wallet.mints().urls()) {
      try {
        wallet.mints().keysets(mint);
      } catch (MintException | WalletException e) {
        log.debug("ecash-gate: keysets of {} unavailable: {}", mint, e.getMessage());
      }
    }
  }

  /** The wallet's journal swept and interrupted transfers resumed, every recovery grace period. */
  private void recoverWallet() throws SQLException {
    long now = System.nanoTime();
    if (lastRecovery != 0 && now - lastRecovery < config.recoveryGrace().toNanos()) return;
    lastRecovery = now;
    try {
      var report = wallet.recover(config.recoveryGrace(), config.reclaimSendsAfter());
      if (report.finished() + report.abandoned() + report.claimedSends() + report.reclaimedSends() > 0) {
        log.info("ecash-gate wallet recovery: {} operations finished, {} abandoned, {} still open, {} sent tokens"
            + " claimed, {} unclaimed ones taken back", report.finished(), report.abandoned(), report.stillOpen(),
            report.claimedSends(), report.reclaimedSends());
      }
    } finally {
      wallet.resumeTransfers(); // even when the sweep failed: one never holds back the other
    }
  }

  @Override
  public void close() {
    closed = true;
    tasks.forEach(t -> t.cancel(false));
    if (gate != null) flush();
  }
}
