package archy.ecash.cli;

import archy.config.Config;
import archy.config.ConfigLoader;
import archy.config.ConfigSection;
import archy.ecash.Db;
import archy.ecash.gate.GateConfig;
import archy.ecash.mint.MintClient;
import archy.ecash.wallet.Mints;
import archy.ecash.wallet.Wallet;
import archy.ecash.wallet.WalletException;
import archy.plugin.PluginLoader;
import archy.server.ConfigCheck;
import archy.store.Database;
import archy.store.Migrations;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;

/**
 * The node's own wallet, opened from its configuration as {@code archy run} opens it: the same database (so a
 * running node may share it: SQLite waits out the node's writes, PostgreSQL's row locks and the wallet's
 * conditional updates keep two processes from spending one proof) and the same {@code [ecash-gate]} allow-list.
 */
public final class NodeWallet implements AutoCloseable {
  private final Config config;
  private final Database database;
  private final GateConfig gate;
  private final Wallet wallet;

  private NodeWallet(Config config, Database database, GateConfig gate, Wallet wallet) {
    this.config = config;
    this.database = database;
    this.gate = gate;
    this.wallet = wallet;
  }

  /** Opens the wallet of the node configured by {@code configFile} (or {@code ARCHY_CONFIG}), data in {@code dataDir}. */
  public static NodeWallet open(Path configFile, Path dataDir) throws IOException, SQLException {
    Path file = ConfigLoader.configFile(configFile, System.getenv());
    Config config = ConfigLoader.load(file,
        new ConfigLoader.Overrides(null, null, null, dataDir, null, null).withEnvironment(System.getenv()));
    ConfigCheck.check(config, PluginLoader.found(NodeWallet.class.getClassLoader()).values()); // as archy run does
    GateConfig gate = GateConfig.from(ConfigSection.of(GateConfig.SECTION, config.section(GateConfig.SECTION)));
    Database database = Database.open(config.storage().url(), config.server().dataDir());
    try {
      // The wallet's tables are ecash-gate's: make sure they exist even if the node never ran the plugin.
      Migrations.apply(database.dataSource(), database.dialect(), "ecash-gate", Wallet.class.getClassLoader());
      Mints mints = new Mints(gate.mints(), url -> MintClient.create(url, gate.mintTimeout()), Clock.systemUTC(),
          gate.keysetTtl());
      return new NodeWallet(config, database, gate, Wallet.open(new Db(database.dataSource(), database.dialect()), mints,
          Clock.systemUTC()));
    } catch (RuntimeException | SQLException e) {
      database.close();
      throw e;
    }
  }

  /** {@code mint} if given, else the first allow-listed mint holding at least {@code amount}. */
  public static String pickMint(Wallet wallet, String mint, long amount) throws Exception {
    if (mint != null) return wallet.mints().client(mint).url();
    for (String url : wallet.mints().urls()) if (wallet.balance(url) >= amount) return url;
    throw new WalletException("not enough funds: no allow-listed mint holds " + amount + " sat");
  }

  public Wallet wallet() {
    return wallet;
  }

  /** The node's configuration, as read and checked (its key, the other plugins' sections). */
  public Config config() {
    return config;
  }

  /** The node's database (other plugins' tables live there too). */
  public Database database() {
    return database;
  }

  public GateConfig gate() {
    return gate;
  }

  @Override
  public void close() {
    database.close();
  }
}
