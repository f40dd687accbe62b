package archy.streams.client;

import archy.cli.CliCommand;
import archy.config.Config;
import archy.config.ConfigLoader;
import archy.config.ConfigSection;
import archy.ecash.cli.NodeWallet;
import archy.ecash.token.Token;
import archy.nostr.Event;
import archy.nostr.EventSigner;
import archy.nostr.Hex;
import archy.nostr.Keys;
import archy.nostr.Nip19;
import archy.nostr.RelaySocket;
import archy.paidblobs.PaidBlobsConfig;
import archy.paidblobs.client.AutoSwapTokens;
import archy.server.NodeKeys;
import archy.streams.Offer;
import archy.streams.PublisherAccounts;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code archy stream}: paid event streams (PROTOCOLS.md §7) from the command line: subscribe and pay, publish an
 * offer and observations, and, for the node's operator, the publishers' balances and their payout as a token.
 * Exit codes: 0 done, 1 an error (relay, offer, key, wallet), 2 a payment refused (caps, funds, the relay).
 */
@Command(name = "stream", mixinStandardHelpOptions = true,
    description = {"Paid event streams (kind 30083 offers, observations with seq, kind 21083 payments).",
        "subscribe: print a stream's observations as JSON lines, paying from the node's wallet within the caps.",
        "offer/publish: publish a 30083 offer, then observations read from stdin. balance/payout: the publishers'"
            + " earnings on this node, paid out as a Cashu token."},
    subcommands = {StreamCommand.Subscribe.class, StreamCommand.PublishOffer.class, StreamCommand.Publish.class,
        StreamCommand.Balance.class, StreamCommand.Payout.class})
public final class StreamCommand implements CliCommand {
  private static final ObjectMapper JSON = new ObjectMapper();

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(System.err);
    return 1;
  }

  /** What every subcommand shares: the node's config and data directory, the key to sign with, where to print. */
  abstract static class Sub implements Callable<Integer> {
    @Option(names = "--config", description = "TOML configuration file of the node (ARCHY_CONFIG).")
    Path configFile;

    @Option(names = "--data-dir", description = "The node's data directory (ARCHY_DATA_DIR; default ./data).")
    Path dataDir;

    PrintStream out = System.out;
    PrintStream err = System.err;
    InputStream in = System.in;

    abstract int run() throws Exception;

    @Override
    public final Integer call() {
      try {
        return run();
      } catch (StreamException e) {
        err.println("archy stream: " + e.getMessage());
        return e.code();
      } catch (IllegalArgumentException | IOException e) {
        err.println("archy stream: " + e.getMessage());
        return 1;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return 1;
      } catch (Exception e) {
        err.println("archy stream: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        return 1;
      }
    }

    Config config() throws IOException {
      return ConfigLoader.load(ConfigLoader.configFile(configFile, System.getenv()),
          new ConfigLoader.Overrides(null, null, null, dataDir, null, null).withEnvironment(System.getenv()));
    }
  }

  /** Subcommands that sign: {@code --key FILE} (hex or nsec), else the node key. */
  abstract static class Signing extends Sub {
    @Option(names = "--key", paramLabel = "FILE", description = "File holding the secret key to sign and"
        + " authenticate with (hex or nsec); default the node key.")
    Path keyFile;

    Keys keys(Config config) throws IOException {
      if (keyFile == null) return NodeKeys.load(config.node().key(), config.server().dataDir());
      return Keys.parse(Files.readString(keyFile).strip());
    }
  }

  @Command(name = "subscribe", mixinStandardHelpOptions = true,
      description = {"Authenticate (NIP-42), subscribe to a paid stream and print each new observation once, as a"
          + " JSON line on stdout, in seq order. A payment-required NOTICE is paid from the node's wallet within the"
          + " [paid-blobs.client] caps (per request, per host and in total per day), at most once per half cadence;"
          + " after twice the cadence without an observation the last payment is sent again (the relay resends)."
          + " A lost connection is opened again; the relay keeps what was paid, so nothing is paid twice."})
  static final class Subscribe extends Signing {
    @Parameters(index = "0", description = "The relay, ws:// or wss://.")
    String relay;

    @Parameters(index = "1", description = "The stream: naddr1… of its kind 30083 offer, or 30083:<pubkey>:<d>.")
    String stream;

    @Option(names = "--buy", description = "Observations each payment buys (default ${DEFAULT-VALUE}).")
    long buy = 1;

    @Option(names = "--count", description = "Stop after this many new observations (default 0: run until stopped).")
    long count;

    @Option(names = "--since-seq", description = "Print only observations above this seq (what an earlier run"
        + " printed; default 0).")
    long sinceSeq;

    @Override
    int run() throws Exception {
      if (!relay.matches("wss?://\\S+")) throw new IllegalArgumentException("the relay must be a ws:// or wss:// URL");
      StreamAddress address = StreamAddress.parse(stream);
      try (NodeWallet node = NodeWallet.open(configFile, dataDir)) {
        Config config = node.config();
        PaidBlobsConfig paid = PaidBlobsConfig.from(
            ConfigSection.of(PaidBlobsConfig.SECTION, config.section(PaidBlobsConfig.SECTION)));
        var options = new StreamSubscriber.Options(relay, address, keys(config), buy, count, sinceSeq);
        var subscriber = new StreamSubscriber(options, new AutoSwapTokens(node.wallet(), paid.swap()), paid.client(),
            Clock.systemUTC(), out, err);
        StreamSubscriber.Outcome outcome = subscriber.run();
        err.println("archy stream: " + outcome.reason() + "; " + outcome.printed() + " observations, paid "
            + outcome.paidSats() + " sat in " + outcome.payments() + " payments");
        return outcome.exitCode();
      }
    }
  }

  @Command(name = "offer", mixinStandardHelpOptions = true,
      description = "Publish a kind 30083 stream offer signed with --key (or the node key); prints its naddr.")
  static final class PublishOffer extends Signing {
    @Parameters(index = "0", description = "The relay, ws:// or wss://.")
    String relay;

    @Option(names = "--d", required = true, description = "The stream id (the offer's d tag).")
    String d;

    @Option(names = "--kind", required = true, description = "The observations' kind (the k tag).")
    int kind;

    @Option(names = "--price", description = "Sats per observation (default 0: free).")
    long price;

    @Option(names = "--cadence", description = "Expected seconds between observations (default 0: not given).")
    long cadence;

    @Option(names = "--title", description = "A title.")
    String title;

    @Override
    int run() throws Exception {
      Keys keys = keys(config());
      List<List<String>> tags = new ArrayList<>();
      tags.add(List.of("d", d));
      if (title != null) tags.add(List.of("title", title));
      if (price > 0) tags.add(List.of("price", Long.toString(price), "sat"));
      if (cadence > 0) tags.add(List.of("cadence", Long.toString(cadence)));
      tags.add(List.of("k", Integer.toString(kind)));
      Event offer = EventSigner.sign(keys, System.currentTimeMillis() / 1000, Offer.KIND, tags, "");
      Offer.parse(offer); // what the relay would refuse, refused here with the same reason
      try (RelaySocket socket = RelaySocket.connect(relay)) {
        RelayTalk.publish(socket, offer);
      }
      out.println(new StreamAddress(keys.publicKeyHex(), d, List.of()).naddr(relay));
      return 0;
    }
  }

  @Command(name = "publish", mixinStandardHelpOptions = true,
      description = "Publish observations of a stream, one per line of stdin (the line is the content), each with"
          + " the stream's a tag and the next seq; prints {\"seq\":…,\"id\":…} per observation.")
  static final class Publish extends Signing {
    @Parameters(index = "0", description = "The relay, ws:// or wss://.")
    String relay;

    @Parameters(index = "1", description = "The stream: naddr1… of its offer, or 30083:<pubkey>:<d>.")
    String stream;

    @Option(names = "--seq", description = "The first observation's seq (default: one above the relay's newest).")
    Long seq;

    @Override
    int run() throws Exception {
      Keys keys = keys(config());
      StreamAddress address = StreamAddress.parse(stream);
      if (!address.publisher().equals(keys.publicKeyHex())) {
        throw new IllegalArgumentException("the stream is " + address.publisher() + "'s; --key signs as " + keys.publicKeyHex());
      }
      Clock clock = Clock.systemUTC();
      try (RelaySocket socket = RelaySocket.connect(relay)) {
        // As the publisher, the relay lets us read every observation: the next seq goes on from its newest.
        RelayTalk.authenticate(socket, keys, relay, clock);
        Offer offer = RelayTalk.offer(socket, address, relay, err);
        long next = seq != null ? seq : RelayTalk.newestSeq(socket, offer) + 1;
        BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        for (String line; (line = lines.readLine()) != null; next++) {
          Event o = EventSigner.sign(keys, clock.millis() / 1000, offer.observationKind(),
              List.of(List.of("a", offer.address()), List.of("seq", Long.toString(next))), line);
          RelayTalk.publish(socket, o);
          out.println(JSON.createObjectNode().put("seq", next).put("id", o.id()));
          out.flush();
        }
      }
      return 0;
    }
  }

  @Command(name = "balance", mixinStandardHelpOptions = true,
      description = "The publishers' stream earnings on this node: the balance to pay out, earned (ledger less the"
          + " relay's share), the relay's share, observations sold. Reads the node's database.")
  static final class Balance extends Sub {
    @Parameters(index = "0", arity = "0..1", description = "Only this publisher (hex or npub).")
    String publisher;

    @Option(names = "--json", description = "One JSON object per publisher.")
    boolean json;

    @Override
    int run() throws Exception {
      try (NodeWallet node = NodeWallet.open(configFile, dataDir)) {
        String only = publisher == null ? null : pubkey(publisher);
        for (PublisherAccounts.Account a : PublisherAccounts.open(node.database()).accounts()) {
          if (only != null && !only.equals(a.publisher())) continue;
          if (json) {
            out.println(JSON.createObjectNode().put("publisher", a.publisher()).put("balance_sats", a.balanceSats())
                .put("earned_sats", a.earnedSats()).put("relay_sats", a.relaySats())
                .put("observations_sold", a.observationsSold()));
          } else {
            out.println(a.publisher() + "  balance " + a.balanceSats() + " sat  earned " + a.earnedSats()
                + " sat  relay share " + a.relaySats() + " sat  " + a.observationsSold() + " observations sold");
          }
        }
      }
      return 0;
    }
  }

  @Command(name = "payout", mixinStandardHelpOptions = true,
      description = "Pay a publisher's stream balance out as a Cashu token from the node's wallet (printed on"
          + " stdout, for the publisher to receive); the balance goes down by what the token holds.")
  static final class Payout extends Sub {
    @Parameters(index = "0", description = "The publisher (hex or npub).")
    String publisher;

    @Option(names = "--sats", description = "How much (default: the whole balance).")
    Long sats;

    @Option(names = "--mint", description = "The mint to pay from (default: the first holding enough).")
    String mint;

    @Override
    int run() throws Exception {
      String who = pubkey(publisher);
      try (NodeWallet node = NodeWallet.open(configFile, dataDir)) {
        PublisherAccounts accounts = PublisherAccounts.open(node.database());
        long amount = sats != null ? sats : accounts.balance(who);
        try {
          Token token = accounts.payout(node.wallet(), who, amount, mint);
          out.println(token.encode());
          err.println("archy stream: paid out " + token.amount() + " sat to " + who);
          return 0;
        } catch (archy.ecash.wallet.WalletException e) {
          throw new StreamException(2, "not paid out: " + e.getMessage());
        }
      }
    }
  }

  static String pubkey(String text) {
    String t = text.strip();
    if (Hex.isLowerHex(t, 64)) return t;
    if (t.startsWith("npub1") && Nip19.decode(t) instanceof Nip19.Pubkey p) return p.hex();
    throw new IllegalArgumentException("a publisher is 64 hex characters or npub1…, got " + t);
  }
}
