package archy.quic;

import archy.config.Config;
import archy.config.QuicLimits;
import archy.nostr.Keys;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's QUIC side (PROTOCOLS.md §5): the node certificate, the protocols plugins register, the listener
 * opened after every plugin is installed, and the client. One small Netty event loop group serves both; it is
 * made on first use, so a node with no QUIC protocol and no dialling plugin starts no thread for it.
 */
public final class QuicEndpoint implements QuicNetwork, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(QuicEndpoint.class);

  private final Config.Server server;
  private final QuicLimits limits;
  private final QuicIdentity identity;
  private final Clock clock;
  private final Map<String, QuicHandler> handlers = new LinkedHashMap<>();
  private final QuicClient client;
  private EventLoopGroup group;
  private ExecutorService executor;
  private QuicServer listener;
  private boolean started;

  public QuicEndpoint(Config.Server server, QuicLimits limits, QuicIdentity identity, Keys keys, Clock clock) {
    this.server = server;
    this.limits = limits;
    this.identity = identity;
    this.clock = clock;
    this.client = new QuicClient(this::group, identity, keys, clock, limits.idleTimeoutSeconds());
  }

  @Override
  public String fingerprint() {
    return identity.fingerprint();
  }

  @Override
  public Optional<String> endpoint() {
    if (server.quicPort() == 0) return Optional.empty();
    String host = URI.create(server.publicUrl()).getHost();
    if (host == null) host = server.host();
    return Optional.of((host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + server.quicPort());
  }

  @Override
  public synchronized void register(String alpn, QuicHandler handler) {
    if (started) throw new IllegalStateException("QUIC protocols are registered while plugins install");
    if (alpn == null || alpn.isEmpty() || alpn.length() > 255) throw new IllegalArgumentException("an ALPN is 1-255 bytes");
    if (handlers.putIfAbsent(alpn, handler) != null) throw new IllegalArgumentException("ALPN " + alpn + " is taken");
  }

  @Override
  public synchronized boolean serves(String alpn) {
    return server.quicPort() != 0 && handlers.containsKey(alpn);
  }

  @Override
  public QuicClient client() {
    return client;
  }

  /** Opens the UDP port when a protocol is registered and {@code quic_port} is not 0. */
  public synchronized void start() throws IOException, InterruptedException {
    started = true;
    if (handlers.isEmpty() || server.quicPort() == 0) return;
    io.netty.handler.codec.quic.Quic.ensureAvailability();
    executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("archy-quic-", 0).factory());
    listener = new QuicServer(group(), new InetSocketAddress(server.host(), server.quicPort()), identity, limits,
        handlers, executor, clock, hostPorts());
    log.info("QUIC on udp {}:{} for {}, certificate sha256 {}", server.host(), listener.port(), handlers.keySet(),
        identity.fingerprint());
  }

  /** The UDP port bound, or 0 when no listener is open. */
  public synchronized int port() {
    return listener == null ? 0 : listener.port();
  }

  /** The names a client's §5.0 {@code u} tag may give this server by. */
  private Set<String> hostPorts() {
    Set<String> names = new LinkedHashSet<>();
    endpoint().ifPresent(names::add);
    String host = server.host();
    names.add((host.contains(":") ? "[" + host + "]" : host) + ":" + server.quicPort());
    return Set.copyOf(names);
  }

  private synchronized EventLoopGroup group() {
    if (group == null) group = UdpTransport.group(Math.min(2, Runtime.getRuntime().availableProcessors()));
    return group;
  }

  @Override
  public synchronized void close() {
    client.close();
    if (listener != null) listener.close();
    if (executor != null) executor.shutdownNow();
    if (group != null) group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }
}
