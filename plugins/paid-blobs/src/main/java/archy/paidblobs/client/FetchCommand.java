package archy.paidblobs.client;

import archy.cli.CliCommand;
import archy.config.Config;
import archy.config.ConfigLoader;
import archy.config.ConfigSection;
import archy.ecash.Db;
import archy.ecash.gate.GateConfig;
import archy.ecash.mint.MintClient;
import archy.ecash.wallet.Mints;
import archy.ecash.wallet.Wallet;
import archy.paidblobs.PaidBlobsConfig;
import archy.plugin.PluginLoader;
import archy.server.ConfigCheck;
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
    description = {"Download a blob, or a whole film, paying a BUD-07/Cashu 402 from the node's wallet within the "
        + "configured caps.",
        "A film (naddr1..., 30082:<pubkey>:<d>, or a master .m3u8 URL) goes into a directory (-o, default the master's "
            + "sha256) as Blossom HLS; a second run resumes and spends the session the first one bought.",
        "Exit codes: 0 done, 1 an error (unreachable, wrong bytes), 2 a payment refused (caps, funds)."})
public final class FetchCommand implements CliCommand {
  @Parameters(index = "0", description = "A blob URL, a sha256, blake3:<hex>; or a film: naddr1..., 30082:<pubkey>:<d>, a master .m3u8 URL.")
  String target;

  @Option(names = "--node", description = "Base URL to ask for a bare hash (default: this node's public URL).")
  String node;

  @Option(names = {"-o", "--output"}, description = "File to write (default: the hash, in the current directory); for a film, the directory.")
  Path output;

  @Option(names = "--config", description = "TOML configuration file (ARCHY_CONFIG).")
  Path configFile;

  @Option(names = "--data-dir", description = "The node's data directory (ARCHY_DATA_DIR; default ./data).")
  Path dataDir;

  private int film(AutoPayClient client, HttpClient http) throws Exception {
    FilmTarget film;
    try {
      film = FilmTarget.resolve(target, node);
    } catch (IllegalArgumentException e) {
      System.err.println("archy fetch: " + e.getMessage());
      return 1;
    }
    Path dir = output != null ? output : Path.of(film.masterSha256());
    System.err.println("archy fetch: film " + String.join(", ", film.describe()) + " from " + film.base() + " into " + dir);
    FilmDownload.Result r = new FilmDownload(client, http, System.err).download(film, dir);
    System.out.println(r.master() + ": " + r.blobs() + " blobs (" + r.alreadyHere() + " already here), "
        + r.bytesFetched() + " bytes fetched, paid " + r.satsPaid() + " sat");
    return 0;
  }

  @Override
  public Integer call() throws Exception {
    Path file = ConfigLoader.configFile(configFile, System.getenv());
    Config config = ConfigLoader.load(file,
        new ConfigLoader.Overrides(null, null, null, dataDir, null, null).withEnvironment(System.getenv()));
    ConfigCheck.check(config, PluginLoader.found(FetchCommand.class.getClassLoader()).values());
    try (Database database = Database.open(config.storage().url(), config.server().dataDir())) {
      // The wallet's tables are ecash-gate's: make sure they exist even if the node never ran the plugin.
      Migrations.apply(database.dataSource(), database.dialect(), "ecash-gate", Wallet.class.getClassLoader());
      GateConfig gate = GateConfig.from(ConfigSection.of(GateConfig.SECTION, config.section(GateConfig.SECTION)));
      Mints mints = new Mints(gate.mints(), url -> MintClient.create(url), Clock.systemUTC(), gate.keysetTtl());
      Wallet wallet = Wallet.open(new Db(database.dataSource(), database.dialect()), mints, Clock.systemUTC());
      PaidBlobsConfig paid = PaidBlobsConfig.from(
          ConfigSection.of(PaidBlobsConfig.SECTION, config.section(PaidBlobsConfig.SECTION)));
      AutoPayConfig caps = paid.client();
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
          .followRedirects(HttpClient.Redirect.NORMAL).build();
      // Sessions outlive the run: a second run spends what the first bought (never the node's own payer's file).
      Path sessions = config.server().dataDir().resolve("plugins").resolve("paid-blobs").resolve("fetch-sessions.json");
      TokenSource tokens = new AutoSwapTokens(wallet, paid.swap());
      AutoPayClient client = AutoPayClient.withSessionFile(http, tokens, caps, Clock.systemUTC(), sessions);
      try {
        if (FilmTarget.isFilm(target)) return film(client, http);
        BlobTarget blob = BlobTarget.parse(target, node != null ? node : config.server().publicUrl());
        Path out = output != null ? output : Path.of(blob.hex());
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
