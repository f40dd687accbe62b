package archy.plugin;

import archy.nostr.Keys;
import archy.quic.QuicNetwork;
import archy.store.Dialect;
import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.eclipse.jetty.server.Handler;

/** Everything a plugin may touch, and nothing more. */
public interface PluginContext {
  /** The plugin's own config section ({@code [name]} in the TOML file); an empty object when absent. */
  JsonNode config();

  /** The node's Nostr keys (its identity for adverts and signed companions). */
  Keys nodeKeys();

  /** The node's public base URL, e.g. {@code http://127.0.0.1:7777}. */
  String publicUrl();

  /** A directory of the plugin's own under the data dir, created on first call. */
  Path dataDir();

  /** Publish and query events through the host's rules (limits, policies, storage, fan-out). */
  EventGateway events();

  Hooks hooks();

  /** The node's Blossom blob store: look up by sha256 or BLAKE3, read ranges, store with hash checks. */
  Blobs blobs();

  /** The node database, for the plugin's own tables. */
  DataSource dataSource();

  Dialect dialect();

  /**
   * Applies the plugin's migrations: classpath scripts {@code db/<name>/<sqlite|postgresql>/V1.sql},
   * {@code V2.sql}, ... from the plugin's jar, each once.
   */
  void migrate();

  /**
   * Serves HTTP requests whose path starts with {@code pathPrefix} (which must start with {@code /api/}, or be one
   * of the page prefixes of {@link archy.http.PluginRoutes#PAGES}, e.g. {@code /films}) with a Jetty core handler.
   * The longest matching prefix wins.
   */
  void route(String pathPrefix, Handler handler);

  /**
   * Declares that requests may carry a header of up to {@code bytes} bytes for this plugin (a Cashu token
   * in {@code X-Cashu}, say): the HTTP server sizes its request header limit to fit it beside the others,
   * instead of answering 431.
   */
  void needRequestHeader(int bytes);

  Services services();

  /**
   * Node-to-node QUIC (PROTOCOLS.md §5): register a protocol by ALPN (during {@code install}), dial other
   * nodes with a pinned fingerprint, and the node certificate's fingerprint for {@code quic} endpoint tags.
   */
  QuicNetwork quic();

  Clock clock();

  /** Shared scheduler for periodic and slow work; tasks must not block for long. */
  ScheduledExecutorService scheduler();

  /**
   * The registry behind {@code GET /metrics}. Give every meter a description (it is the Prometheus HELP text) and
   * list it in docs/operations.md; {@code MetricsDocumentedTest} fails otherwise.
   */
  MeterRegistry metrics();

  /**
   * Adds a section to the landing page ({@code GET /} in a browser) saying what the plugin offers visitors.
   * {@code html} is called on each request; escape what the operator or publishers wrote
   * ({@link archy.http.LandingPage#escape}).
   */
  void landingSection(String heading, Supplier<String> html);
}
