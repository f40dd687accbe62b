package archy.cli;

import archy.config.Config;
import archy.config.ConfigLoader;
import archy.server.ArchyNode;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code archy run}: starts the node and serves until SIGTERM or Ctrl-C. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Start the relay. Flags override ARCHY_* environment variables, which override the config file.")
final class RunCommand implements Callable<Integer> {
  @Option(names = "--host", description = "Address to listen on (ARCHY_HOST; default 127.0.0.1).")
  String host;

  @Option(names = "--port", description = "HTTP + WebSocket port (ARCHY_PORT; default 7777).")
  Integer port;

  @Option(names = "--quic-port", description = "UDP port for node-to-node QUIC (ARCHY_QUIC_PORT; default: the HTTP port + 1; 0 = off).")
  Integer quicPort;

  @Option(names = "--data-dir", description = "Directory for the database, blobs and keys (ARCHY_DATA_DIR; default ./data).")
  Path dataDir;

  @Option(names = "--storage", description = "\"sqlite\" or postgresql://user@host:5432/db (ARCHY_STORAGE; default sqlite).")
  String storage;

  @Option(names = "--public-url", description = "Base URL clients use to reach this node (ARCHY_PUBLIC_URL).")
  String publicUrl;

  @Option(names = "--config", description = "TOML configuration file (ARCHY_CONFIG).")
  Path configFile;

  @Override
  public Integer call() throws Exception {
    Path file = ConfigLoader.configFile(configFile, System.getenv());
    Config config = ConfigLoader.load(file,
        new ConfigLoader.Overrides(host, port, quicPort, dataDir, storage, publicUrl).withEnvironment(System.getenv()));
    ArchyNode node = new ArchyNode(config, Clock.systemUTC()).start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.out.println("archy: stopping (finishing in-flight writes)");
      node.close();
      stopped.countDown();
    }, "archy-shutdown"));
    String ws = config.server().publicUrl().replaceFirst("^http", "ws");
    System.out.println("archy relay serving " + config.server().publicUrl() + " (Nostr: " + ws + ", data: "
        + config.server().dataDir().toAbsolutePath().normalize() + ")");
    stopped.await();
    return 0;
  }
}
