package archy.testing;

import archy.config.Config;
import archy.config.ConfigLoader;
import archy.server.ArchyNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;

/** A real node on 127.0.0.1 and a free port, with its data in a test's temporary directory. */
public final class TestNode implements AutoCloseable {
  public final ArchyNode node;
  public final int port;
  private final Config config;
  private final Clock clock;

  private TestNode(ArchyNode node, int port, Config config, Clock clock) {
    this.node = node;
    this.port = port;
    this.config = config;
    this.clock = clock;
  }

  /**
   * Starts a node. {@code toml} is added to the config; unless it says otherwise no plugin is enabled,
   * so test plugins found on the class path stay out of tests that are not about them.
   */
  public static TestNode start(Path dataDir, String toml) throws Exception {
    return start(dataDir, toml, Clock.systemUTC());
  }

  public static TestNode start(Path dataDir, String toml, Clock clock) throws Exception {
    int port = freePort();
    String full = toml.contains("[plugins]") ? toml : toml + "\n[plugins]\nenabled = []\n";
    Config config = ConfigLoader.parse(full, new ConfigLoader.Overrides("127.0.0.1", port, null, dataDir, null, null));
    return new TestNode(new ArchyNode(config, clock).start(), port, config, clock);
  }

  /** Closes this node and starts it again on the same port and data: a relay restart, as its clients see it. */
  public TestNode restart() throws Exception {
    close();
    return new TestNode(new ArchyNode(config, clock).start(), port, config, clock);
  }

  public String wsUrl() {
    return "ws://127.0.0.1:" + port;
  }

  public String httpUrl() {
    return "http://127.0.0.1:" + port;
  }

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** A UDP port free just now, for a {@code quic_port}. */
  public static int freeUdpPort() throws IOException {
    try (java.net.DatagramSocket s = new java.net.DatagramSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    node.close();
  }
}
