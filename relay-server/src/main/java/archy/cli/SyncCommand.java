package archy.cli;

import archy.config.Config;
import archy.config.ConfigException;
import archy.config.ConfigLoader;
import archy.negentropy.LocalSide;
import archy.negentropy.RelaySync;
import archy.nostr.EventParser;
import archy.nostr.FilterParser;
import archy.nostr.InvalidFilterException;
import archy.nostr.Schnorr;
import archy.store.Database;
import archy.store.JdbcEventStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code archy sync <relay url>}: this node's store against another relay's, by NIP-77 set reconciliation where the
 * relay offers it and by paging REQs where it does not ({@link RelaySync}).
 */
@Command(name = "sync", mixinStandardHelpOptions = true,
    description = "Reconcile this node's events with a relay by NIP-77 negentropy, then fetch what is missing here"
        + " (--down, the default), publish what is missing there (--up), or both. A relay that refuses NIP-77"
        + " (NEG-ERR, NOTICE, or no answer within 15 s) is read by paging REQs (limit/until windows) instead;"
        + " the summary says which method was used. Opens the node's storage directly: with SQLite, stop the node"
        + " first; PostgreSQL may be shared with a running node. Exit status 0, or 1 when the relay refused"
        + " some published events.")
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
    ObjectNode filterJson;
    try {
      if (!(JSON.readTree(filter) instanceof ObjectNode object)) throw new InvalidFilterException("not an object");
      new FilterParser(Integer.MAX_VALUE).parse(object);
      filterJson = object;
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
      RelaySync sync = new RelaySync(LocalSide.of(store, () -> System.currentTimeMillis() / 1000),
          new EventParser(Schnorr.verifier()), line -> System.out.println("archy: " + line), RelaySync.OPEN_TIMEOUT);
      RelaySync.Report r = sync.sync(url, filterJson, down, up);
      System.out.printf("archy: synced with %s by %s: %d only here, %d only there; stored %d of %d fetched,"
          + " published %d (%d refused); %,d bytes sent, %,d received%n", url, r.method().label(), r.have(), r.need(),
          r.stored(), r.fetched(), r.published(), r.refused(), r.bytesSent(), r.bytesReceived());
      return r.refused() == 0 ? 0 : 1;
    }
  }
}
