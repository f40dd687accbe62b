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
import archy.film.FilmCatalogConfig;
import archy.film.fetch.KnownRelay;
import archy.film.fetch.RelayDirectory;
import archy.film.fetch.RelayFetch;
import archy.film.fetch.SeederQuic;
import archy.nostr.Keys;
import archy.paidblobs.PaidBlobsConfig;
import archy.plugin.PluginLoader;
import archy.quic.QuicEndpoint;
import archy.quic.QuicIdentity;
import archy.server.ConfigCheck;
import archy.server.NodeKeys;
import archy.store.Database;
import archy.store.Migrations;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
        "With --via, one blob comes through a paid relay (archy/relay/1) instead, verified by its BLAKE3.",
        "A quic://host:port/<blake3>#<cert sha256> target (a seeder's archy/paid-blobs/1 endpoint, as its 30081 and 10021 "
            + "adverts name it) is fetched over QUIC, pinning that certificate, paid within the same caps as HTTP.",
        "Exit codes: 0 done, 1 an error (unreachable, wrong bytes, a relay's refusal), 2 a payment refused (caps, funds)."})
public final class FetchCommand implements CliCommand {
  @Parameters(index = "0", description = "A blob URL, a sha256, blake3:<hex>, quic://host:port/<blake3>#<cert sha256>; "
      + "or a film: naddr1..., 30082:<pubkey>:<d>, a master .m3u8 URL.")
  String target;

  @Option(names = "--node", description = "Base URL to ask for a bare hash (default: this node's public URL).")
  String node;

  @Option(names = {"-o", "--output"}, description = "File to write (default: the hash, in the current directory); for a film, the directory.")
  Path output;

  @Option(names = "--via", paramLabel = "<npub|host:port>", description = "Fetch a blake3:<hex> blob through this relay "
      + "over archy/relay/1 (its node key, or the host:port of its endpoint), paying it within the same caps; relays "
      + "are learnt from kind 10021 offers with [\"relay\"] on this node's relay and its [film-catalog] upstream_relays.")
  String via;

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

  /** The blob through the relay {@code --via} names; null (reported) when it cannot be found or refuses. */
  private AutoPayClient.Fetched viaRelay(Config config, AutoPayClient client, BlobTarget blob, Path out) throws Exception {
    Path data = config.server().dataDir();
    Keys keys = NodeKeys.load(config.node().key(), data);
    FilmCatalogConfig catalog = FilmCatalogConfig.from(
        ConfigSection.of("film-catalog", config.section("film-catalog")));
    List<URI> relays = new ArrayList<>();
    relays.add(URI.create(config.server().publicUrl().replaceAll("/+$", "").replaceFirst("^http", "ws")));
    relays.addAll(catalog.upstreamRelays());
    try (QuicEndpoint quic = quic(config, keys)) {
      KnownRelay relay = new RelayDirectory(null, relays, keys.publicKeyHex(), Clock.systemUTC()).resolve(via);
      System.err.println("archy fetch: through relay " + relay.pubkey() + " at " + relay.hostPort()
          + (relay.satsPerMb() != null ? " (" + relay.satsPerMb() + " sat/MB)" : ""));
      return client.fetchVia(new RelayFetch(quic, keys.publicKeyHex()), relay, blob, out);
    } catch (IllegalArgumentException | RelayFetch.Refused e) {
      System.err.println("archy fetch: " + (e instanceof RelayFetch.Refused ? "the relay refused: " : "") + e.getMessage());
      return null;
    }
  }

  /** The blob from a seeder's archy/paid-blobs/1 endpoint; null (reported) when the seeder refuses. */
  private AutoPayClient.Fetched overQuic(Config config, AutoPayClient client, BlobTarget blob, Path out) throws Exception {
    try (QuicEndpoint quic = quic(config, NodeKeys.load(config.node().key(), config.server().dataDir()))) {
      return client.fetchQuic(new SeederQuic(quic), blob, out);
    } catch (RelayFetch.Refused e) {
      System.err.println("archy fetch: the seeder answered " + e.getMessage());
      return null;
    }
  }

  /** A QUIC client with this node's certificate and key (§5.0 auth: a seeder's free_peers apply to it). */
  private static QuicEndpoint quic(Config config, Keys keys) throws Exception {
    return new QuicEndpoint(config.server(), config.quic(), QuicIdentity.load(config.server().dataDir()), keys,
        Clock.systemUTC());
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
        if (FilmTarget.isFilm(target)) {
          if (via != null) {
            System.err.println("archy fetch: --via fetches one blob (blake3:<hex>), not a whole film");
            return 1;
          }
          return film(client, http);
        }
        BlobTarget blob = BlobTarget.parse(target, node != null ? node : config.server().publicUrl());
        Path out = output != null ? output : Path.of(blob.hex());
        if (via != null && blob.isQuic()) {
          System.err.println("archy fetch: --via takes blake3:<hex>, not a quic:// target");
          return 1;
        }
        AutoPayClient.Fetched fetched = via != null ? viaRelay(config, client, blob, out)
            : blob.isQuic() ? overQuic(config, client, blob, out) : client.fetch(blob, out);
        if (fetched == null) return 1;
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
