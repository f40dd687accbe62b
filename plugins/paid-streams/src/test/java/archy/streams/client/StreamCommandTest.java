package archy.streams.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.ecash.Db;
import archy.ecash.TestMint;
import archy.ecash.token.Token;
import archy.ecash.wallet.Wallet;
import archy.nostr.Keys;
import archy.store.Database;
import archy.store.Migrations;
import archy.streams.StreamNodes;
import archy.testing.TestNode;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code archy stream} against a real node (ecash-gate + paid-streams) and a dev mint: the publisher's offer and
 * observations by {@code stream offer|publish}, a subscriber whose wallet the mint funded running
 * {@code stream subscribe} (paying, printing, surviving a relay restart without paying twice), the half-cadence
 * throttle against a flood, and the publisher's balance paid out as a token the mint accepts.
 */
class StreamCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long PRICE = 4;

  @TempDir Path dir;
  TestMint mint;
  TestNode node;
  Path nodeConfig;
  Path clientConfig;
  Database clientDb;
  Wallet clientWallet;
  final Keys publisher = Keys.generate();
  final Keys subscriber = Keys.generate();
  Path publisherKey;
  Path subscriberKey;

  @BeforeEach
  void start() throws Exception {
    mint = TestMint.start("stream-cli-" + System.nanoTime(), dir.resolve("payer"));
    Path data = dir.resolve("node");
    String toml = StreamNodes.config(mint.url(), 250_000);
    node = TestNode.start(data, toml);
    // The operator's CLI reads the same config as the running node, on the same database.
    nodeConfig = Files.writeString(dir.resolve("node.toml"), "[server]\ndata_dir = \"" + data + "\"\n" + toml);
    Path home = dir.resolve("client");
    clientConfig = Files.writeString(dir.resolve("client.toml"), """
        [server]
        data_dir = "%s"
        [ecash-gate]
        mints = ["%s"]
        [paid-blobs.client]
        max_sats_per_request = 50
        """.formatted(home, mint.url()));
    clientDb = Database.open("sqlite", home);
    Migrations.apply(clientDb.dataSource(), clientDb.dialect(), "ecash-gate", getClass().getClassLoader());
    clientWallet = Wallet.open(new Db(clientDb.dataSource(), clientDb.dialect()), TestMint.mints(List.of(mint.url())),
        Clock.systemUTC());
    mint.fund(clientWallet, 100);
    publisherKey = Files.writeString(dir.resolve("publisher.key"), publisher.secretHex() + "\n");
    subscriberKey = Files.writeString(dir.resolve("subscriber.key"), subscriber.secretHex() + "\n");
  }

  @AfterEach
  void stop() throws Exception {
    if (clientDb != null) clientDb.close();
    if (node != null) node.close();
    if (mint != null) mint.close();
  }

  record Run(int code, String out, String err) {}

  /** Runs one subcommand in this JVM, stdin {@code input}, stdout and stderr captured. */
  static Run run(StreamCommand.Sub command, String input, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    command.out = new PrintStream(out, true, StandardCharsets.UTF_8);
    command.err = new PrintStream(err, true, StandardCharsets.UTF_8);
    command.in = new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8));
    int code = new CommandLine(command).execute(args);
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private String offer(String d, long cadence) {
    Run r = run(new StreamCommand.PublishOffer(), "", node.wsUrl(), "--d", d, "--kind", "1083", "--price",
        Long.toString(PRICE), "--cadence", Long.toString(cadence), "--title", "test " + d, "--key",
        publisherKey.toString(), "--config", clientConfig.toString());
    assertEquals(0, r.code(), r.err());
    String naddr = r.out().strip();
    assertTrue(naddr.startsWith("naddr1"), r.out());
    return naddr;
  }

  private List<Long> publish(String naddr, String... contents) throws Exception {
    Run r = run(new StreamCommand.Publish(), String.join("\n", contents) + "\n", node.wsUrl(), naddr, "--key",
        publisherKey.toString(), "--config", clientConfig.toString());
    assertEquals(0, r.code(), r.err());
    List<Long> seqs = new ArrayList<>();
    for (String line : r.out().strip().split("\n")) seqs.add(JSON.readTree(line).path("seq").asLong());
    return seqs;
  }

  /** A subscriber running on its own thread; its stdout lines arrive in {@code lines}. */
  final class Subscriber {
    final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    final CompletableFuture<Integer> exit = new CompletableFuture<>();
    final Thread thread;

    Subscriber(String naddr, String... more) {
      StreamCommand.Subscribe command = new StreamCommand.Subscribe();
      command.out = new PrintStream(new LineSplitter(lines), true, StandardCharsets.UTF_8);
      command.err = new PrintStream(err, true, StandardCharsets.UTF_8);
      List<String> args = new ArrayList<>(List.of(node.wsUrl(), naddr, "--key", subscriberKey.toString(), "--config",
          clientConfig.toString()));
      args.addAll(List.of(more));
      thread = Thread.ofPlatform().name("stream-subscribe").start(() -> {
        try {
          exit.complete(new CommandLine(command).execute(args.toArray(String[]::new)));
        } catch (Throwable t) {
          exit.completeExceptionally(t);
        }
      });
    }

    /** The seq of the next printed observation (its whole JSON checked to be an event of the stream). */
    long nextSeq(String naddr) throws Exception {
      String line = lines.poll(20, TimeUnit.SECONDS);
      assertNotNull(line, "an observation within 20 s; stderr: " + errText());
      JsonNode event = JSON.readTree(line);
      String a = null;
      long seq = -1;
      for (JsonNode tag : event.path("tags")) {
        if (tag.path(0).asText().equals("a")) a = tag.path(1).asText();
        if (tag.path(0).asText().equals("seq")) seq = tag.path(1).asLong();
      }
      assertEquals(StreamAddress.parse(naddr).coordinate(), a, line);
      assertEquals(publisher.publicKeyHex(), event.path("pubkey").asText());
      return seq;
    }

    String errText() {
      return err.toString(StandardCharsets.UTF_8);
    }
  }

  /** Splits what is printed into lines (the subscriber prints one JSON object per line). */
  static final class LineSplitter extends OutputStream {
    private final BlockingQueue<String> lines;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    LineSplitter(BlockingQueue<String> lines) {
      this.lines = lines;
    }

    @Override
    public synchronized void write(int b) {
      if (b == '\n') {
        lines.add(line.toString(StandardCharsets.UTF_8));
        line.reset();
      } else {
        line.write(b);
      }
    }
  }

  /** The payments the relay credited to the subscriber for a stream: their sats, in the order they came. */
  private List<long[]> paymentsAtRelay(String coordinate) throws Exception {
    try (Database db = Database.open("sqlite", dir.resolve("node"))) {
      Db d = new Db(db.dataSource(), db.dialect());
      return d.tx(c -> Db.query(c, "SELECT at, sats FROM stream_payments WHERE subscriber = ? AND stream = ? ORDER BY at",
          rs -> new long[] {rs.getLong(1), rs.getLong(2)}, subscriber.publicKeyHex(), coordinate));
    }
  }

  private List<Long> ledgerSeqs(String coordinate) throws Exception {
    try (Database db = Database.open("sqlite", dir.resolve("node"))) {
      Db d = new Db(db.dataSource(), db.dialect());
      // the only subscriber of the stream: each sale line is one copy, to it
      return d.tx(c -> Db.query(c, "SELECT seq FROM stream_sales WHERE stream = ? AND copies = 1 ORDER BY seq",
          rs -> rs.getLong(1), coordinate));
    }
  }

  @Test
  void subscribePaysPrintsAndResumesAfterARestartWithoutPayingAgainThenThePublisherIsPaidOut() throws Exception {
    String naddr = offer("prices", 1);
    String coordinate = StreamAddress.parse(naddr).coordinate();
    assertEquals(List.of(1L, 2L, 3L), publish(naddr, "10.1", "10.2", "10.3"));

    Subscriber sub = new Subscriber(naddr, "--count", "6");
    List<Long> printed = new ArrayList<>();
    for (int i = 0; i < 3; i++) printed.add(sub.nextSeq(naddr));
    assertEquals(List.of(1L, 2L, 3L), printed, sub.errText());
    assertEquals(3 * PRICE, 100 - clientWallet.balance(mint.url()), "paid for exactly the three: " + sub.errText());

    // Twice the cadence (2 s) without an observation: the last payment event again, which the relay answers as
    // "I'm back" (duplicate, the newest paid observation re-sent, no credit): nothing printed, nothing paid.
    Thread.sleep(3_000);
    assertTrue(sub.errText().contains("sending the last payment again"), sub.errText());
    assertTrue(sub.errText().contains("the relay resends what was paid"), sub.errText());
    assertEquals(List.of(), List.copyOf(sub.lines));
    assertEquals(3 * PRICE, 100 - clientWallet.balance(mint.url()));

    // The relay goes away and comes back: the subscriber connects again, gets 1..3 again free and prints nothing
    // twice; the next observations cost one payment each, nothing more.
    node = node.restart();
    assertEquals(List.of(4L, 5L, 6L), publish(naddr, "10.4", "10.5", "10.6"));
    for (int i = 0; i < 3; i++) printed.add(sub.nextSeq(naddr));
    assertEquals(0, sub.exit.get(20, TimeUnit.SECONDS), sub.errText());
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), printed);
    assertEquals(List.of(), List.copyOf(sub.lines), "nothing printed twice");
    assertTrue(sub.errText().contains("connecting again"), sub.errText());

    List<long[]> payments = paymentsAtRelay(coordinate);
    assertEquals(6, payments.size(), "one payment per observation bought (--buy 1), none again after the restart");
    assertEquals(6 * PRICE, payments.stream().mapToLong(p -> p[1]).sum());
    assertEquals(6 * PRICE, 100 - clientWallet.balance(mint.url()));
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), ledgerSeqs(coordinate), "each observation debited once");

    // The publisher's share (75% of 6 x 4 sat) is visible to the operator and paid out as a token the mint takes.
    Run balance = run(new StreamCommand.Balance(), "", "--json", "--config", nodeConfig.toString());
    assertEquals(0, balance.code(), balance.err());
    JsonNode account = JSON.readTree(balance.out().strip());
    assertEquals(publisher.publicKeyHex(), account.path("publisher").asText());
    assertEquals(18, account.path("balance_sats").asLong(), balance.out());
    assertEquals(18, account.path("earned_sats").asLong());
    assertEquals(6, account.path("relay_sats").asLong());
    assertEquals(6, account.path("observations_sold").asLong());

    Run payout = run(new StreamCommand.Payout(), "", archy.nostr.Nip19.encode(new archy.nostr.Nip19.Pubkey(
        publisher.publicKeyHex())), "--config", nodeConfig.toString());
    assertEquals(0, payout.code(), payout.err());
    Token token = Token.decode(payout.out().strip());
    assertEquals(18, token.amount());
    long before = mint.payer().balance(mint.url());
    mint.payer().receive("stream-payout-test", token);
    assertEquals(before + 18, mint.payer().balance(mint.url()), "the dev mint swapped the payout's proofs");

    Run again = run(new StreamCommand.Payout(), "", publisher.publicKeyHex(), "--sats", "1", "--config",
        nodeConfig.toString());
    assertEquals(2, again.code(), "nothing left to pay out: " + again.err());
    Run after = run(new StreamCommand.Balance(), "", "--json", "--config", nodeConfig.toString());
    assertEquals(0, JSON.readTree(after.out().strip()).path("balance_sats").asLong());
  }

  @Test
  void aFloodingPublisherGetsAtMostTwoPaymentsPerCadence() throws Exception {
    long cadence = 2;
    String naddr = offer("flood", cadence);
    String coordinate = StreamAddress.parse(naddr).coordinate();
    Subscriber sub = new Subscriber(naddr, "--count", "6");
    Thread.sleep(1_000); // subscribed: the flood comes live
    String[] flood = new String[60];
    for (int i = 0; i < flood.length; i++) flood[i] = "tick " + i;
    publish(naddr, flood);
    List<Long> printed = new ArrayList<>();
    for (int i = 0; i < 6; i++) printed.add(sub.nextSeq(naddr));
    assertEquals(0, sub.exit.get(20, TimeUnit.SECONDS), sub.errText());
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), printed);

    List<long[]> payments = paymentsAtRelay(coordinate);
    assertEquals(6, payments.size(), sub.errText());
    // Half a cadence (1 s) between payments as the payer sends them; as the relay credits them, some jitter.
    long slack = 300;
    for (int i = 2; i < payments.size(); i++) {
      long apart = payments.get(i)[0] - payments.get(i - 2)[0];
      assertTrue(apart >= cadence * 1000 - slack, "three payments within one cadence: " + apart + " ms");
    }
    long span = payments.getLast()[0] - payments.getFirst()[0];
    assertTrue(span >= 5 * cadence * 500 - slack, "six payments at one per half cadence span 5 s, not " + span + " ms");
    assertEquals(6 * PRICE, 100 - clientWallet.balance(mint.url()));
  }

  @Test
  void overTheCapsNothingIsPaidAndTheRunStops() throws Exception {
    String naddr = offer("capped", 1);
    publish(naddr, "1");
    // 20 observations at once would be 80 sat: over max_sats_per_request = 50
    Subscriber sub = new Subscriber(naddr, "--buy", "20");
    assertEquals(2, sub.exit.get(20, TimeUnit.SECONDS), sub.errText());
    assertTrue(sub.errText().contains("not paid: asks 80 sat, over the cap of 50 per request"), sub.errText());
    assertEquals(100, clientWallet.balance(mint.url()), "no token was made");
    assertEquals(List.of(), paymentsAtRelay(StreamAddress.parse(naddr).coordinate()));
    assertEquals(List.of(), List.copyOf(sub.lines));

    Subscriber nothing = new Subscriber(StreamAddress.parse(naddr).coordinate().replace(":capped", ":absent"));
    assertEquals(1, nothing.exit.get(20, TimeUnit.SECONDS));
    assertTrue(nothing.errText().contains("no offer 30083:"), nothing.errText());

    java.io.StringWriter usage = new java.io.StringWriter();
    CommandLine cl = archy.cli.Main.commandLine();
    cl.setOut(new java.io.PrintWriter(usage));
    cl.execute("--help");
    assertTrue(usage.toString().contains("\n  stream "), "archy --help lists stream:\n" + usage);
  }
}
