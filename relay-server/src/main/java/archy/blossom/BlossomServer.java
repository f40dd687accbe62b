package archy.blossom;

import archy.config.Blossom;
import archy.nostr.EventParser;
import archy.nostr.Schnorr;
import archy.plugin.Blobs;
import archy.plugin.Hooks;
import archy.store.Database;
import archy.store.Migrations;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Blossom server of a node: its tables, its blob storage (files or a bucket), the HTTP handler for the BUD endpoints and the
 * hourly retention sweep. Built before plugins are installed, so they can use {@link #blobs()}.
 */
public final class BlossomServer {
  private static final Logger log = LoggerFactory.getLogger(BlossomServer.class);

  private final Blossom config;
  private final BlobStore store;
  private final BlossomHandler handler;

  private BlossomServer(Blossom config, BlobStore store, BlossomHandler handler) {
    this.config = config;
    this.store = store;
    this.handler = handler;
  }

  public static BlossomServer open(Blossom config, Database database, Hooks hooks, Clock clock, String publicUrl,
                                   MeterRegistry metrics)
      throws IOException {
    Migrations.apply(database.dataSource(), database.dialect(), "blossom", BlossomServer.class.getClassLoader());
    BlobIndex index = new BlobIndex(database.dataSource(), database.dialect());
    BlobStorage storage = config.s3() != null ? S3Storage.open(config.s3()) : new BlobFiles(config.blobDir());
    log.info("blob bytes in {}", storage.describe());
    BlobStore store = new BlobStore(storage, index, new HashLocks(database.dataSource(), database.dialect()), clock,
        new BlossomMetrics(metrics, hooks));
    EventParser parser = new EventParser(Schnorr.verifier());
    BlossomAuth auth = new BlossomAuth(parser, publicUrl, clock, config.authClockSkewSeconds());
    UploadRules rules = new UploadRules(config, index, hooks);
    HttpClient client = mirrorClient(config);
    BlossomHandler handler = new BlossomHandler(
        new GetEndpoint(store, hooks, auth, config),
        new UploadEndpoint(store, auth, rules, publicUrl),
        new MirrorEndpoint(store, auth, rules, config, publicUrl, client),
        new ReportEndpoint(index, parser, clock),
        new OwnerEndpoints(store, auth, config, publicUrl));
    // The client starts and stops with the handler, i.e. with the HTTP server.
    handler.addBean(client);
    return new BlossomServer(config, store, handler);
  }

  private static HttpClient mirrorClient(Blossom config) {
    HttpClient client = new HttpClient();
    client.setConnectTimeout(config.mirrorTimeoutSeconds() * 1000L);
    client.setIdleTimeout(config.mirrorTimeoutSeconds() * 1000L);
    client.setMaxRedirects(5);
    client.setUserAgentField(null);
    if (!config.mirrorAllowPrivate()) {
      client.setSocketAddressResolver(new PublicAddressResolver(Executors.newVirtualThreadPerTaskExecutor()));
    } else {
      client.setSocketAddressResolver(new SocketAddressResolver.Sync());
    }
    return client;
  }

  /** The store plugins get through their context. */
  public Blobs blobs() {
    return new PluginBlobs(store, handler);
  }

  /** The BUD endpoints, or null when {@code [blossom] enabled = false}. */
  public Handler handler() {
    return config.enabled() ? handler : null;
  }

  /**
   * Start-up housekeeping in the background: stored blobs without index rows are indexed (see
   * {@link BlobStore#reconcile}); a large store takes a while to walk, and serving need not wait.
   */
  public void reconcileInBackground() {
    Thread.ofVirtual().name("blossom-reconcile").start(() -> {
      try {
        store.reconcile();
      } catch (IOException | RuntimeException e) {
        log.warn("reconciling stored blobs with the index failed", e);
      }
    });
  }

  /** Releases the blob storage (after the HTTP server stopped: no upload is running). */
  public void close() {
    try {
      store.close();
    } catch (IOException e) {
      log.warn("releasing the blob storage failed", e);
    }
  }

  /** Runs the retention sweep hourly (and once soon after start) when a retention is configured. */
  public void scheduleRetention(ScheduledExecutorService scheduler) {
    if (config.retentionDays() <= 0 && config.unownedRetentionDays() <= 0) return;
    scheduler.scheduleWithFixedDelay(this::prune, 1, 60, TimeUnit.MINUTES);
  }

  /** Deletes blobs past their retention now; returns how many. */
  public int prune() {
    try {
      int pruned = store.prune(config.retentionDays(), config.unownedRetentionDays());
      if (pruned > 0) log.info("deleted {} blobs past their retention", pruned);
      return pruned;
    } catch (RuntimeException e) {
      log.warn("the blob retention sweep failed", e);
      return 0;
    }
  }
}
