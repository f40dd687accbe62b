package archy.film.publish;

import archy.config.Config;
import archy.config.ConfigLoader;
import archy.nostr.Keys;
import archy.server.NodeKeys;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The options every {@code archy film} command shares: which node, and whose key signs. */
final class NodeOptions {
  @Option(names = "--node", description = "The node's base URL (default: the public URL of the local config).")
  String node;

  @Option(names = "--key", description = "A file holding the publisher's secret key, hex or nsec1... "
      + "(default: the node key: [node] key, else <data_dir>/node.key).")
  Path keyFile;

  @Option(names = "--config", description = "TOML configuration file (ARCHY_CONFIG).")
  Path configFile;

  @Option(names = "--data-dir", description = "The node's data directory (ARCHY_DATA_DIR; default ./data).")
  Path dataDir;

  /** The command this mixin is part of: its out and err writers (tests swap them). */
  @Spec(Spec.Target.MIXEE) CommandSpec mixee;

  private Config config;

  PrintWriter out() {
    return mixee.commandLine().getOut();
  }

  PrintWriter err() {
    return mixee.commandLine().getErr();
  }

  Config config() throws IOException {
    if (config == null) {
      config = ConfigLoader.load(ConfigLoader.configFile(configFile, System.getenv()),
          new ConfigLoader.Overrides(null, null, null, dataDir, null, null).withEnvironment(System.getenv()));
    }
    return config;
  }

  URI nodeUrl() throws IOException {
    String url = node != null ? node : config().server().publicUrl();
    if (url.endsWith("/")) url = url.substring(0, url.length() - 1);
    if (!url.startsWith("http://") && !url.startsWith("https://")) {
      throw new PublishException("--node must be an http(s) URL, got " + url);
    }
    return URI.create(url);
  }

  Keys keys() throws IOException {
    if (keyFile == null) return NodeKeys.load(config().node().key(), config().server().dataDir());
    try {
      return Keys.parse(Files.readString(keyFile).strip());
    } catch (IllegalArgumentException e) {
      throw new PublishException(keyFile + " does not hold a secret key (64 hex or nsec1...): " + e.getMessage());
    }
  }

  Path workDir() throws IOException {
    return config().server().dataDir().resolve("plugins").resolve("film-catalog").resolve("publish");
  }

  static HttpClient http() {
    return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NORMAL)
        .build();
  }
}
