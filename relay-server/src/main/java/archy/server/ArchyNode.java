package archy.server;

import archy.blossom.BlossomServer;
import archy.config.Config;
import archy.config.ConfigException;
import archy.config.Relay;
import archy.http.HeaderDeadline;
import archy.http.HttpFront;
import archy.http.LandingPage;
import archy.http.PluginRoutes;
import archy.http.ReasonedErrors;
import archy.management.ManagementEndpoint;
import archy.management.RelayModeration;
import archy.nostr.Keys;
import archy.nostr.Schnorr;
import archy.plugin.Hooks;
import archy.plugin.PluginLoader;
import archy.plugin.RelayPlugin;
import archy.plugin.Services;
import archy.quic.QuicEndpoint;
import archy.quic.QuicIdentity;
import archy.relay.Nip11;
import archy.relay.NostrRelay;
import archy.store.Database;
import archy.store.EventStore;
import archy.store.JdbcEventStore;
import archy.store.StoreStats;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.BindException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.ee10.websocket.servlet.WebSocketUpgradeFilter;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running node: storage, the relay, plugins and the HTTP/WebSocket server, started in that order and
 * stopped in reverse. Stopping first closes the listener and connections, then lets the store commit
 * every queued write, so nothing acknowledged is lost.
 */
public final class ArchyNode implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ArchyNode.class);
  public static final String VERSION = "0.1.0";

  private final Config config;
  private final Clock clock;
  private Database database;
  private BlossomServer blossom;
  private EventStore store;
  private NostrRelay relay;
  private Server server;
  private QuicEndpoint quic;
  private ScheduledExecutorService scheduler;
  private final List<RelayPlugin> started = new ArrayList<>();
  private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private Keys keys;
  private volatile StoreStats stats = new StoreStats(0, 0);

  public ArchyNode(Config config, Clock clock) {
    this.config = config;
    this.clock = clock;
  }

  public ArchyNode start() throws Exception {
    try {
      doStart();
      return this;
    } catch (Exception e) {
      close();
      throw e;
    }
  }

  private void doStart() throws Exception {
    Config.Server s = config.server();
    Map<String, RelayPlugin> found = PluginLoader.found(ArchyNode.class.getClassLoader());
    ConfigCheck.check(config, found.values());
    List<RelayPlugin> plugins = PluginLoader.load(found, config.plugins().enabled());
    // Bind before anything touches the database: a port in use must not leave half-migrated plugin tables.
    server = new Server(threadPool());
    HttpConfiguration httpConfig = new HttpConfiguration();
    HeaderDeadline headerDeadline = new HeaderDeadline(s.headerTimeoutSeconds());
    listen(server, s, httpConfig, headerDeadline);
    Files.createDirectories(s.dataDir());
    keys = NodeKeys.load(config.node().key(), s.dataDir());
    database = Database.open(config.storage().url(), s.dataDir());
    store = JdbcEventStore.open(database);
    scheduler = Executors.newScheduledThreadPool(1, Thread.ofPlatform().name("archy-scheduler").daemon().factory());

    new JvmMemoryMetrics().bindTo(metrics);
    new JvmThreadMetrics().bindTo(metrics);
    Gauge.builder("archy.store.events", this, n -> n.stats.events())
        .description("Stored events (refreshed every 30 s)").register(metrics);
    Gauge.builder("archy.store.bytes", this, n -> n.stats.jsonBytes())
        .description("Bytes of the stored events' JSON (refreshed every 30 s)").register(metrics);

    Hooks hooks = new Hooks();
    blossom = BlossomServer.open(config.blossom(), database, hooks, clock, s.publicUrl(), metrics);
    RelayModeration moderation = new RelayModeration(database, clock,
        m -> relay.connections().disconnect(m::blocks));
    relay = new NostrRelay(config.relay(), store, moderation, hooks, Schnorr.verifier(), metrics, clock, s.publicUrl());
    PluginRoutes routes = new PluginRoutes();
    Services services = new Services();
    quic = new QuicEndpoint(s, config.quic(), QuicIdentity.load(s.dataDir()), keys, clock);
    List<LandingPage.Section> landingSections = new CopyOnWriteArrayList<>();
    for (RelayPlugin plugin : plugins) {
      plugin.install(new HostPluginContext(plugin, config, keys, database, relay.gateway(), hooks, blossom.blobs(),
          routes, services, quic, clock, scheduler, metrics, landingSections));
      started.add(plugin);
    }
    List<String> names = plugins.stream().map(RelayPlugin::name).toList();
    Relay r = config.relay();
    boolean pluginPolicies = hooks.hasEventPolicies();
    Supplier<String> nip11 = () -> Nip11.document(r, moderation.name(r.name()), moderation.description(r.description()),
        moderation.icon(), keys.publicKeyHex(), "archy", VERSION, pluginPolicies || moderation.restrictsWrites());
    LandingPage landing = new LandingPage(() -> moderation.name(r.name()), () -> moderation.description(r.description()),
        s.publicUrl(),
        keys.npub(), names, Nip11.supportedNips(r), config.blossom(), landingSections);

    // Plugins may need longer request headers (ecash-gate's tokens). The listener is bound but accepts nothing
    // before server.start(), so every connection gets this size.
    int headerBytes = routes.requestHeaderBytes(s.maxRequestHeaderBytes());
    httpConfig.setRequestHeaderSize(headerBytes);
    server.setErrorHandler(new ReasonedErrors(headerBytes));
    ServletContextHandler websocket = new ServletContextHandler("/");
    JakartaWebSocketServletContainerInitializer.configure(websocket, (servletContext, container) -> {
      container.setDefaultMaxTextMessageBufferSize(config.relay().maxFrameBytes());
      // Frames queued together (a REQ's 500 events, a group commit's OKs) are aggregated into writes of
      // up to this size: fewer, larger TCP writes, and far less work for clients reading them.
      WebSocketUpgradeFilter.ensureFilter(servletContext).setInitParameter("outputBufferSize", "65536");
      container.addEndpoint(relay.endpointConfig("/"));
    });
    ManagementEndpoint management = new ManagementEndpoint(moderation, store, r.admins(), s.publicUrl(), clock);
    HttpFront front = new HttpFront(nip11, landing::html, metrics, routes, relay.connections(), management,
        moderation::blocks);
    Handler blobs = blossom.handler();
    // Blossom takes every path the front does not (BUD-01: its endpoints live at the domain root).
    server.setHandler(blobs == null ? new Handler.Sequence(front, websocket)
        : new Handler.Sequence(front, blobs, websocket));
    server.setStopTimeout(10_000);
    server.start();
    quic.start();

    refreshStats();
    scheduler.scheduleWithFixedDelay(this::refreshStats, 30, 30, TimeUnit.SECONDS);
    scheduler.scheduleWithFixedDelay(this::purgeExpired, 60, 60, TimeUnit.SECONDS);
    scheduler.scheduleWithFixedDelay(headerDeadline::sweep, 1, 1, TimeUnit.SECONDS);
    scheduler.scheduleWithFixedDelay(moderation::refresh, 1, 1, TimeUnit.SECONDS); // changes by sibling processes
    blossom.scheduleRetention(scheduler);
    blossom.reconcileInBackground();
    log.info("storage {}, schnorr {}, plugins: {}", database.dialect(), Schnorr.implementation(),
        names.isEmpty() ? "none" : String.join(", ", names));
  }

  /** The HTTP + WebSocket listener, bound now (Jetty's start reuses the open channel). */
  private static ServerConnector listen(Server server, Config.Server s, HttpConfiguration httpConfig,
                                        HeaderDeadline headerDeadline) throws IOException {
    ServerConnector http = new ServerConnector(server, 1, 1, new HttpConnectionFactory(httpConfig));
    http.setHost(s.host());
    http.setPort(s.port());
    // A burst of connects (clients reconnecting after a restart) must not overflow the kernel's accept
    // queue: dropped SYNs are retried only after a second.
    http.setAcceptQueueSize(1024);
    http.addEventListener(headerDeadline);
    server.addConnector(http);
    try {
      http.open();
    } catch (IOException e) {
      if (e instanceof BindException || e.getCause() instanceof BindException) {
        throw new ConfigException("server.port: " + s.host() + ":" + s.port() + " is already in use (is another"
            + " node running?); choose another with --port, ARCHY_PORT or [server] port");
      }
      throw e;
    }
    return http;
  }

  private static QueuedThreadPool threadPool() {
    QueuedThreadPool pool = new QueuedThreadPool(200, 8);
    pool.setName("archy-http");
    // Blocking work Jetty dispatches (Jakarta message handlers) runs on virtual threads.
    pool.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
    return pool;
  }

  private void refreshStats() {
    try {
      stats = store.stats();
    } catch (RuntimeException e) {
      log.warn("could not read store statistics", e);
    }
  }

  private void purgeExpired() {
    try {
      int purged = store.purgeExpired(clock.instant().getEpochSecond());
      if (purged > 0) log.info("purged {} expired events", purged);
    } catch (RuntimeException e) {
      log.warn("purging expired events failed", e);
    }
  }

  /** The port actually bound (useful when configured as 0). */
  public int port() {
    return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }

  /** The URL clients reach this node at: the configured public URL, with the real port when bound to 0. */
  public URI httpUrl() {
    return URI.create("http://" + config.server().host() + ":" + port());
  }

  /** The node's QUIC side: its certificate fingerprint, and the UDP port bound (0 when none is open). */
  public QuicEndpoint quic() {
    return quic;
  }

  /** Open WebSocket connections. */
  public int connections() {
    return relay.connections().size();
  }

  public Keys keys() {
    return keys;
  }

  /** The Blossom server (its blob store, its retention sweep). */
  public BlossomServer blossom() {
    return blossom;
  }

  public PrometheusMeterRegistry metrics() {
    return metrics;
  }

  @Override
  public void close() {
    if (server != null) {
      try {
        server.stop();
      } catch (Exception e) {
        log.warn("stopping the HTTP server failed", e);
      }
      // A start that failed after binding never started the server, whose stop then leaves the port bound.
      for (var connector : server.getConnectors()) {
        if (connector instanceof ServerConnector bound) bound.close();
      }
    }
    if (quic != null) quic.close();
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (RuntimeException e) {
        log.warn("closing plugin {} failed", started.get(i).name(), e);
      }
    }
    if (relay != null) relay.close();
    if (blossom != null) blossom.close();
    if (scheduler != null) scheduler.shutdownNow();
    if (store != null) store.close();
    if (database != null) database.close();
  }
}
