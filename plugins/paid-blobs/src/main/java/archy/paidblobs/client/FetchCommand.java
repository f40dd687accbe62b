package archy.paidblobs.client;

import archy.cli.CliCommand;
import archy.config.Config;
import archy.config.ConfigLoader;
import archy.ecash.Db;
import archy.ecash.gate.GateConfig;
import archy.ecash.mint.MintClient;
import archy.ecash.wallet.Mints;
import archy.ecash.wallet.Wallet;
import archy.store.Database;
import archy.store.Migrations;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code archy fetch <url|sha256|blake3:hex>}: downloads one blob, paying a 402 from the node's own ecash-gate
 * wallet within the caps of {@code [paid-blobs.client]}, and keeps it only when its bytes match the address.
 * Reads the node's config (the same {@code --config}/{@code ARCHY_CONFIG} as {@code archy run}) for the database
 * and the allow-listed mints; the running node may share the database (the wallet's updates are conditional).
 */
@Command(name = "fetch", mixinStandardHelpOptions = true,
    description = "Download a blob, paying a BUD-07/Cashu 402 from the node's wallet within the configured caps.")
public final class FetchCommand implements CliCommand {
  @Parameters(index = "0", description = "A blob URL, a sha256, or blake3:<hex>.")
  String target;

  @Option(names = "--node", description = "Base URL to ask for a bare hash (default: this node's public URL).")
  String node;

  @Option(names = {"-o", "--output"}, description = "File to write (default: the hash, in the current directory).")
  Path output;

  @Option(names = "--config", description = "TOML configuration file (ARCHY_CONFIG).")
  Path configFile;

  @Option(names = "--data-dir", description = "The node's data directory (ARCHY_DATA_DIR; default ./data).")
  Path dataDir;

  @Override
  public Integer call() throws Exception {
    Path file = ConfigLoader.configFile(configFile, System.getenv());
    Config config = ConfigLoader.load(file,
        new ConfigLoader.Overrides(null, null, null, dataDir, null, null).withEnvironment(System.getenv()));
    BlobTarget blob = BlobTarget.parse(target, node != null ? node : config.server().publicUrl());
    Path out = output != null ? output : Path.of(blob.hex());
    try (Database database = Database.open(config.storage().url(), config.server().dataDir())) {
      // The wallet's tables are ecash-gate's: make sure they exist even if the node never ran the plugin.
      Migrations.apply(database.dataSource(), database.dialect(), "ecash-gate", Wallet.class.getClassLoader());
      GateConfig gate = GateConfig.from(config.section("ecash-gate"));
      Mints mints = new Mints(gate.mints(), url -> MintClient.create(url), Clock.systemUTC(), gate.keysetTtl());
      Wallet wallet = Wallet.open(new Db(database.dataSource(), database.dialect()), mints, Clock.systemUTC());
      AutoPayConfig caps = AutoPayConfig.from(config.section("paid-blobs").path("client"));
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
          .followRedirects(HttpClient.Redirect.NORMAL).build();
      AutoPayClient client = new AutoPayClient(http, new WalletTokens(wallet), caps, Clock.systemUTC());
      try {
        AutoPayClient.Fetched fetched = client.fetch(blob, out);
        System.out.println(out + ": " + fetched.bytes() + " bytes from " + fetched.from()
            + (fetched.satsPaid() > 0 ? ", paid " + fetched.satsPaid() + " sat" : ""));
        return 0;
      } catch (PaymentRefusedException e) {
        System.err.println("archy fetch: not paid: " + e.getMessage());
        return 2;
      }
    }
  }
}
