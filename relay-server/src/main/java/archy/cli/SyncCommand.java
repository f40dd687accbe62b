package archy.cli;

import archy.config.Config;
import archy.config.ConfigException;
import archy.config.ConfigLoader;
import archy.negentropy.RelaySync;
import archy.nostr.EventParser;
import archy.nostr.Filter;
import archy.nostr.FilterParser;
import archy.nostr.InvalidFilterException;
import archy.nostr.Schnorr;
import archy.store.Database;
import archy.store.JdbcEventStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code archy sync <relay url>}: NIP-77 set reconciliation between this node's store and another relay. */
@Command(name = "sync", mixinStandardHelpOptions = true,
    description = "Reconcile this node's events with a relay by NIP-77 negentropy, then fetch what is missing here"
        + " (--down, the default), publish what is missing there (--up), or both. Opens the node's storage"
        + " directly: with SQLite, stop the node first; PostgreSQL may be shared with a running node.")
final class SyncCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Parameters(index = "0", description = "The relay, ws:// or wss://.")
  String url;

  @Option(names = "--filter", description = "NIP-01 filter (JSON) choosing the events to reconcile; default {}.")
  String filter = "{}";

  @ArgGroup(exclusive = true)
  Direction direction = new Direction();

  static final class Direction {
    @Option(names = "--down", description = "Fetch the relay's events missing here (default).") boolean down;
    @Option(names = "--up", description = "Publish events missing on the relay.") boolean up;
    @Option(names = "--both", description = "Both.") boolean both;
  }

  @Option(names = "--data-dir", description = "Directory of the database (ARCHY_DATA_DIR; default ./data).")
  Path dataDir;

  @Option(names = "--storage", description = "\"sqlite\" or postgresql://user@host:5432/db (ARCHY_STORAGE).")
  String storage;

  @Option(names = "--config", description = "TOML configuration file (ARCHY_CONFIG).")
  Path configFile;

  @Override
  public Integer call() throws Exception {
    if (!url.matches("wss?://\\S+")) throw new ConfigException("sync needs a ws:// or wss:// relay URL, got " + url);
    JsonNode filterJson;
    Filter parsed;
    try {
      filterJson = JSON.readTree(filter);
      parsed = new FilterParser(Integer.MAX_VALUE).parse(filterJson);
    } catch (IOException | InvalidFilterException e) {
      throw new ConfigException("--filter is not a NIP-01 filter: " + e.getMessage());
    }
    Path file = ConfigLoader.configFile(configFile, System.getenv());
    Config config = ConfigLoader.load(file,
        new ConfigLoader.Overrides(null, null, null, dataDir, storage, null).withEnvironment(System.getenv()));
    boolean down = direction.down || direction.both || !direction.up;
    boolean up = direction.up || direction.both;
    try (Database db = Database.open(config.storage().url(), config.server().dataDir());
         JdbcEventStore store = JdbcEventStore.open(db)) {
      RelaySync sync = new RelaySync(store, new EventParser(Schnorr.verifier()), line -> System.out.println("archy: " + line));
      RelaySync.Report r = sync.sync(url, filterJson, parsed, down, up, System.currentTimeMillis() / 1000);
      System.out.printf("archy: synced with %s: %d only here, %d only there; stored %d of %d fetched, published %d"
          + " (%d refused); %,d bytes sent, %,d received%n", url, r.have(), r.need(), r.stored(), r.fetched(),
          r.published(), r.refused(), r.bytesSent(), r.bytesReceived());
      return r.refused() == 0 ? 0 : 1;
    } catch (RelaySync.Unsupported e) {
      System.err.println("archy: " + e.getMessage());
      return 3;
    }
  }
}
