package archy.paidblobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.ecash.TestMint;
import archy.ecash.devmint.DevMint;
import archy.ecash.gate.EcashPaymentGate;
import archy.ecash.ledger.LedgerTotals;
import archy.hash.Blake3;
import archy.nostr.Event;
import archy.nostr.EventSigner;
import archy.nostr.Keys;
import archy.testing.BlossomCalls;
import archy.testing.RelayCalls;
import archy.testing.TestNode;
import archy.testing.WsClient;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * A real node with ecash-gate, film-catalog and paid-blobs, a dev mint over HTTP on its own Lightning network,
 * and a trusted publisher whose priced films (real kind 30082 events, real blobs uploaded through Blossom) it
 * sells. Content downloads cost {@link #PRICE} sat per MB: 1 sat buys 1000 bytes.
 */
final class PaidNode implements AutoCloseable {
  static final long PRICE = 1000;
  private static final SecureRandom RANDOM = new SecureRandom();

  final Path dir;
  final TestMint mint;
  final Keys publisher = Keys.generate();
  final Keys peer = Keys.generate();
  private final String extraToml;
  private String gateToml = "";
  private String storage = "sqlite";
  private String catalogToml = "";
  private String blossomToml = "";
  TestNode node;
  BlossomCalls blossom;

  private PaidNode(Path dir, TestMint mint, String extraToml) {
    this.dir = dir;
    this.mint = mint;
    this.extraToml = extraToml;
  }

  /** {@code extraToml} goes inside the {@code [paid-blobs]} section; the publisher's film {@code gift} is a free scope. */
  static PaidNode start(Path dir, String extraToml) throws Exception {
    return start(dir, extraToml, false);
  }

  /** {@code mintPaysItsQuotes}: for wallets that cannot pay an invoice (cashu-ts in the interop test). */
  static PaidNode start(Path dir, String extraToml, boolean mintPaysItsQuotes) throws Exception {
    DevMint.Options options = DevMint.Options.defaults("paid-" + RANDOM.nextInt(1_000_000)).withAutoPay(mintPaysItsQuotes);
    PaidNode n = new PaidNode(dir, TestMint.start(options, dir.resolve("payer")), extraToml);
    n.startNode();
    return n;
  }

  /** As {@link #start(Path, String)}, with {@code gateToml} inside {@code [ecash-gate]}, on {@code storage}. */
  static PaidNode start(Path dir, String extraToml, String gateToml, String storage) throws Exception {
    PaidNode n = new PaidNode(dir, TestMint.start("paid-" + RANDOM.nextInt(1_000_000), dir.resolve("payer")), extraToml);
    n.gateToml = gateToml;
    n.storage = storage;
    n.startNode();
    return n;
  }

  /** As {@link #start(Path, String)}, with {@code catalogToml} inside {@code [film-catalog]}. */
  static PaidNode withCatalog(Path dir, String extraToml, String catalogToml) throws Exception {
    return withStore(dir, extraToml, catalogToml, "");
  }

  /**
   * As {@link #withCatalog}, with {@code blossomToml} inside {@code [blossom]}: where the blob bytes go (files by
   * default; {@code S3rver.blossomConfig} for a bucket).
   */
  static PaidNode withStore(Path dir, String extraToml, String catalogToml, String blossomToml) throws Exception {
    PaidNode n = new PaidNode(dir, TestMint.start("paid-" + RANDOM.nextInt(1_000_000), dir.resolve("payer")), extraToml);
    n.catalogToml = catalogToml;
    n.blossomToml = blossomToml;
    n.startNode();
    return n;
  }

  private void startNode() throws Exception {
    node = TestNode.start(dir.resolve("node"), """
        [storage]
        url = "%s"
        [plugins]
        enabled = ["ecash-gate", "film-catalog", "paid-blobs", "paid-probe"]
        [ecash-gate]
        mints = ["%s"]
        flush_millis = 100
        %s
        [ecash-gate.prices]
        content-download = %d
        [film-catalog]
        trusted_publishers = ["%s"]
        %s
        [paid-blobs]
        free_peers = ["%s"]
        free_scopes = ["30082:%s:gift"]
        %s
        [blossom]
        %s
        """.formatted(storage, mint.url(), gateToml, PRICE, publisher.publicKeyHex(), catalogToml, peer.npub(),
        publisher.publicKeyHex(), extraToml, blossomToml));
    blossom = new BlossomCalls(node.httpUrl());
  }

  /**
   * The config of another node of a test network, keyed {@code key}, on this node's mint and trusting its publisher:
   * its {@code plugins}, lines for {@code [ecash-gate]} and {@code [film-catalog]}, then the sections that follow.
   */
  String peerConfig(Keys key, List<String> plugins, String gateToml, String catalogToml, String restToml) {
    return """
        [node]
        key = "%s"
        [plugins]
        enabled = [%s]
        [ecash-gate]
        mints = ["%s"]
        flush_millis = 100
        %s
        [film-catalog]
        trusted_publishers = ["%s"]
        fetch_allow_private = true
        %s
        %s
        """.formatted(key.secretHex(), String.join(", ", plugins.stream().map(p -> "\"" + p + "\"").toList()), mint.url(), gateToml, publisher.publicKeyHex(), catalogToml, restToml);
  }

  /** Stops the node (its debits are flushed at close) and starts it again on the same data. */
  void restart() throws Exception {
    node.close();
    startNode();
  }

  String url() {
    return node.httpUrl();
  }

  /** A film of a playlist and segments of these sizes, uploaded, published with a price, and listed. */
  Film film(String d, Long price, int... segmentSizes) throws Exception {
    List<byte[]> segments = new ArrayList<>();
    for (int size : segmentSizes) segments.add(random(size));
    return film(d, price, segments);
  }

  /** A film of these segments (films may share some), uploaded, published with a price, and listed. */
  Film film(String d, Long price, List<byte[]> segments) throws Exception {
    return film(d, price, false, segments);
  }

  /** A private film (content {@code enc}: its segments encrypted) of segments of these sizes, uploaded and listed. */
  Film privateFilm(String d, Long price, int... segmentSizes) throws Exception {
    List<byte[]> segments = new ArrayList<>();
    for (int size : segmentSizes) segments.add(random(size));
    return film(d, price, true, segments);
  }

  private Film film(String d, Long price, boolean encrypted, List<byte[]> segments) throws Exception {
    StringBuilder m3u8 = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:3\n");
    for (byte[] s : segments) m3u8.append("#EXTINF:4.0,\n").append(BlossomCalls.sha256(s)).append(".ts\n");
    byte[] playlist = m3u8.append("#EXT-X-ENDLIST\n").toString().getBytes(StandardCharsets.UTF_8);
    Film film = new Film(d, publisher.publicKeyHex(), playlist, segments);
    for (byte[] blob : film.blobs()) {
      HttpResponse<String> up = blossom.upload(Keys.generate(), blob, "video/mp2t");
      assertTrue(up.statusCode() == 200 || up.statusCode() == 201, up.body());
    }
    publish(film.event(publisher, price, encrypted));
    awaitListed(film);
    return film;
  }

  void publish(Event event) {
    try (WsClient ws = WsClient.connectSkippingAuth(node.wsUrl())) {
      var ok = RelayCalls.publish(ws, event);
      assertTrue(ok.path(2).asBoolean(), ok.toString());
    }
  }

  /** The catalog indexes behind the write path: wait until the film's playlist is a catalog blob. */
  private void awaitListed(Film film) throws Exception {
    long deadline = System.currentTimeMillis() + 10_000;
    while (true) {
      int status = blossom.get("/api/film/" + film.blake3(0)).statusCode();
      if (status != 404) return; // 402, or 200 for a free film or scope
      if (System.currentTimeMillis() > deadline) throw new AssertionError("film not listed: " + status);
      Thread.sleep(20);
    }
  }

  /** The ledger once pending debits are written. */
  LedgerTotals totals() throws Exception {
    EcashPaymentGate gate = (EcashPaymentGate) PaidProbePlugin.gates.get(node.node.keys().publicKeyHex());
    gate.flush();
    return gate.totals(null);
  }

  static byte[] random(int size) {
    byte[] b = new byte[size];
    RANDOM.nextBytes(b);
    return b;
  }

  /**
   * The {@code archy.toml} of an {@code archy fetch} client at {@code home}: its data dir there, this node's mint, and
   * {@code maxSatsPerRequest} as {@code [paid-blobs.client] max_sats_per_request}.
   */
  Path clientConfig(Path home, long maxSatsPerRequest) throws Exception {
    java.nio.file.Files.createDirectories(home);
    Path config = home.resolve("archy.toml");
    java.nio.file.Files.writeString(config, """
        [server]
        data_dir = "%s"
        [ecash-gate]
        mints = ["%s"]
        [paid-blobs.client]
        max_sats_per_request = %d
        """.formatted(home.resolve("data").toString().replace("\\", "/"), mint.url(), maxSatsPerRequest));
    return config;
  }

  /** Funds the wallet in a client's database under {@code data}, as `archy run` with ecash-gate would hold it. */
  void fundClient(Path data, long sats) throws Exception {
    try (var db = archy.store.Database.open("sqlite", data)) {
      archy.store.Migrations.apply(db.dataSource(), db.dialect(), "ecash-gate", PaidNode.class.getClassLoader());
      var wallet = archy.ecash.wallet.Wallet.open(new archy.ecash.Db(db.dataSource(), db.dialect()),
          TestMint.mints(List.of(mint.url())), java.time.Clock.systemUTC());
      mint.fund(wallet, sats);
    }
  }

  @Override
  public void close() throws Exception {
    if (node != null) node.close();
    mint.close();
  }

  /** A film's blobs: the master playlist first, then its segments. */
  record Film(String d, String pubkey, byte[] playlist, List<byte[]> segments) {
    List<byte[]> blobs() {
      List<byte[]> all = new ArrayList<>();
      all.add(playlist);
      all.addAll(segments);
      return all;
    }

    String sha256(int i) {
      return BlossomCalls.sha256(blobs().get(i));
    }

    String blake3(int i) {
      return Blake3.hex(blobs().get(i));
    }

    int size(int i) {
      return blobs().get(i).length;
    }

    String coordinate() {
      return "30082:" + pubkey + ":" + d;
    }

    Event event(Keys publisher, Long price) {
      return event(publisher, price, false);
    }

    Event event(Keys publisher, Long price, boolean encrypted) {
      ObjectMapper json = new ObjectMapper();
      ObjectNode content = json.createObjectNode();
      content.put("title", "Film " + d);
      content.put("duration_s", 4 * segments.size());
      content.put("playlist", "blake3:" + blake3(0));
      var refs = content.putArray("segments");
      for (int i = 1; i < blobs().size(); i++) refs.add("blake3:" + blake3(i));
      if (encrypted) content.putObject("enc").put("scheme", "aes-128").put("key_ref", "nip98");
      List<List<String>> tags = new ArrayList<>();
      tags.add(List.of("d", d));
      tags.add(List.of("title", "Film " + d));
      tags.add(List.of("x", sha256(0)));
      if (price != null) {
        content.putObject("monetized").put("service", "content-download").put("sats_per_mb", price);
        tags.add(List.of("price", Long.toString(price), "sat"));
      }
      return EventSigner.sign(publisher, System.currentTimeMillis() / 1000, 30082, tags, content.toString());
    }
  }
}
