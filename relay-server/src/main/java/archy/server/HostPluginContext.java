package archy.server;

import archy.config.Config;
import archy.http.LandingPage;
import archy.http.PluginRoutes;
import archy.nostr.Keys;
import archy.plugin.Blobs;
import archy.plugin.EventGateway;
import archy.plugin.Hooks;
import archy.plugin.PluginContext;
import archy.plugin.RelayPlugin;
import archy.plugin.Services;
import archy.quic.QuicNetwork;
import archy.store.Database;
import archy.store.Dialect;
import archy.store.Migrations;
import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.eclipse.jetty.server.Handler;

/** The host's side of {@link PluginContext}: one per plugin, scoped to its name. */
final class HostPluginContext implements PluginContext {
  private final RelayPlugin plugin;
  private final Config config;
  private final Keys keys;
  private final Database database;
  private final EventGateway events;
  private final Hooks hooks;
  private final Blobs blobs;
  private final PluginRoutes routes;
  private final Services services;
  private final QuicNetwork quic;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final MeterRegistry metrics;
  private final List<LandingPage.Section> landing;

  HostPluginContext(RelayPlugin plugin, Config config, Keys keys, Database database, EventGateway events, Hooks hooks,
                    Blobs blobs, PluginRoutes routes, Services services, QuicNetwork quic, Clock clock,
                    ScheduledExecutorService scheduler, MeterRegistry metrics, List<LandingPage.Section> landing) {
    this.plugin = plugin;
    this.config = config;
    this.keys = keys;
    this.database = database;
    this.events = events;
    this.hooks = hooks;
    this.blobs = blobs;
    this.routes = routes;
    this.services = services;
    this.quic = quic;
    this.clock = clock;
    this.scheduler = scheduler;
    this.metrics = metrics;
    this.landing = landing;
  }

  @Override public JsonNode config() { return config.section(plugin.name()); }
  @Override public Keys nodeKeys() { return keys; }
  @Override public String publicUrl() { return config.server().publicUrl(); }
  @Override public EventGateway events() { return events; }
  @Override public Hooks hooks() { return hooks; }
  @Override public Blobs blobs() { return blobs; }
  @Override public DataSource dataSource() { return database.dataSource(); }
  @Override public Dialect dialect() { return database.dialect(); }
  @Override public Services services() { return services; }
  @Override public QuicNetwork quic() { return quic; }
  @Override public Clock clock() { return clock; }
  @Override public ScheduledExecutorService scheduler() { return scheduler; }
  @Override public MeterRegistry metrics() { return metrics; }

  @Override
  public void landingSection(String heading, Supplier<String> html) {
    landing.add(new LandingPage.Section(heading, html));
  }

  @Override
  public Path dataDir() {
    Path dir = config.server().dataDir().resolve("plugins").resolve(plugin.name());
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void migrate() {
    Migrations.apply(database.dataSource(), database.dialect(), plugin.name(), plugin.getClass().getClassLoader());
  }

  @Override
  public void route(String pathPrefix, Handler handler) {
    routes.add(pathPrefix, handler);
  }

  @Override
  public void needRequestHeader(int bytes) {
    routes.needHeader(bytes);
  }
}
