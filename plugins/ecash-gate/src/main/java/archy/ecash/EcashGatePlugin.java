package archy.ecash;

import archy.config.ConfigSection;
import archy.ecash.gate.EcashPaymentGate;
import archy.ecash.gate.GateConfig;
import archy.ecash.gate.PaymentGate;
import archy.ecash.mint.MintClient;
import archy.ecash.mint.MintException;
import archy.ecash.wallet.Mints;
import archy.ecash.wallet.Wallet;
import archy.ecash.wallet.WalletException;
import archy.plugin.PluginContext;
import archy.plugin.RelayPlugin;
import java.io.IOException;
import java.net.http.HttpClient;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code ecash-gate} plugin: migrates its tables, opens the wallet on the allow-listed mints and publishes
 * the {@link PaymentGate} (and the {@link Wallet}) for other plugins. On the shared scheduler it flushes session
 * debits, retries queued tokens, sweeps the wallet's journal and resumes interrupted cross-mint transfers; all but
 * the first call mints, so they run on a virtual thread, one sweep at a time.
 */
public final class EcashGatePlugin implements RelayPlugin {
  private static final Logger log = LoggerFactory.getLogger(EcashGatePlugin.class);
  private static final Duration SWEEP_EVERY = Duration.ofSeconds(5);
  private static final int QUEUE_BATCH = 50;
  /** Under the data dir: debits the database did not take before the process stopped, applied at the next start. */
  static final String UNWRITTEN_DEBITS = "ecash-gate-unwritten-debits.tsv";

  private final List<ScheduledFuture<?>> tasks = new ArrayList<>();
  private final AtomicBoolean sweeping = new AtomicBoolean();
  private volatile boolean closed;
  private EcashPaymentGate gate;
  private Wallet wallet;
  private GateConfig config;
  private long lastRecovery;

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
    Mints mints = new Mints(config.mints(), this::client, ctx.clock(), config.keysetTtl());
    wallet = Wallet.open(db, mints, ctx.clock());
    gate = new EcashPaymentGate(db, wallet, config, ctx.clock(), ctx.metrics());
    gate.keepUnwrittenDebitsIn(ctx.dataDir().resolve(UNWRITTEN_DEBITS));
    ctx.services().publish(PaymentGate.class, gate);
    ctx.services().publish(Wallet.class, wallet);
    long flush = config.flushEvery().toMillis();
    tasks.add(ctx.scheduler().scheduleWithFixedDelay(this::flush, flush, flush, TimeUnit.MILLISECONDS));
    tasks.add(ctx.scheduler().scheduleWithFixedDelay(this::startSweep, 0, SWEEP_EVERY.toMillis(), TimeUnit.MILLISECONDS));
    // No warning here for an empty mints list: only a plugin that charges knows something is monetized
    // (paid-blobs warns once per priced film it then serves free).
    log.info("ecash-gate: {} accepted mint(s), fail_open {}", mints.urls().size(), config.failOpen());
  }

  private MintClient client(String url) {
    MintClient.Options d = MintClient.Options.defaults();
    MintClient.Options o = new MintClient.Options(d.connectTimeout(), config.mintTimeout(), d.meltTimeout(),
        d.replayAttempts(), d.replayBackoff());
    return new MintClient(url, HttpClient.newBuilder().connectTimeout(o.connectTimeout()).build(), o);
  }

  private void flush() {
    try {
      gate.flush();
    } catch (SQLException | RuntimeException e) {
      log.warn("ecash-gate: flushing session debits failed, will retry: {}", e.getMessage());
    }
  }

  private void startSweep() {
    if (closed || !sweeping.compareAndSet(false, true)) return;
    Thread.ofVirtual().name("ecash-gate-sweep").start(() -> {
      try {
        sweep();
      } finally {
        sweeping.set(false);
      }
    });
  }

  /** Keysets warmed (fee estimates for payment requests), queued tokens retried, the journal swept. */
  private void sweep() {
    for (String mint : wallet.mints().urls()) {
      try {
        wallet.mints().keysets(mint);
      } catch (MintException | WalletException e) {
        log.debug("ecash-gate: keysets of {} unavailable: {}", mint, e.getMessage());
      }
    }
    try {
      gate.retryQueued(QUEUE_BATCH);
      long now = System.nanoTime();
      if (now - lastRecovery >= config.recoveryGrace().toNanos() || lastRecovery == 0) {
        lastRecovery = now;
        var report = wallet.recover(config.recoveryGrace());
        if (report.finished() + report.abandoned() + report.claimedSends() > 0) {
          log.info("ecash-gate wallet recovery: {} operations finished, {} abandoned, {} still open, {} sent tokens"
              + " claimed back", report.finished(), report.abandoned(), report.stillOpen(), report.claimedSends());
        }
        wallet.resumeTransfers();
      }
    } catch (SQLException | RuntimeException e) {
      log.warn("ecash-gate: sweep failed: {}", e.getMessage());
    }
  }

  @Override
  public void close() {
    closed = true;
    tasks.forEach(t -> t.cancel(false));
    if (gate != null) flush();
  }
}
