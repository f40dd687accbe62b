package archy.paidblobs;

import archy.film.fetch.KnownRelay;
import archy.film.fetch.RelayDirectory;
import archy.film.fetch.RelayFetch;
import archy.hash.Blake3;
import archy.nostr.Hex;
import archy.nostr.Keys;
import archy.quic.QuicEndpoint;
import archy.quic.QuicResponse;
import archy.quic.QuicTarget;
import archy.testing.BlossomCalls;
import archy.testing.TestNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A 256 MiB film blob relayed A→B→C over {@code archy/relay/1} against the same blob fetched directly A→C over
 * {@code archy/paid-blobs/1} on loopback (issue 14: ≥ 0.7×), with B's RSS while it relays. A main in the test
 * sources (command and figures in docs/benchmarks.md). A (this JVM) holds a free film of one 256 MiB segment; B is
 * a separate {@code archy.cli.Main run} process (so its RSS is its own) with relay-bandwidth at 0 sat/MB, learning
 * the film and A's advert from A; C (this JVM) finds B by B's kind 10021 offer and uses the real requester
 * ({@link RelayFetch}). Every body is hashed (BLAKE3) by C and checked. Each round A publishes a new film of one
 * fresh blob and, once B lists it, C fetches it directly, then through B cold (B fetches it from A, passing the bytes
 * on to C as they arrive while it stores them), then through B warm (B holds it).
 * Arguments: the work directory, the number of rounds, the blob's MiB, B's JVM options (one string).
 */
public final class RelayBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RelayBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "/tmp/relay-bench");
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    int mib = args.length > 2 ? Integer.parseInt(args[2]) : 256;
    // B's JVM options (e.g. -Xmx128m: a relay that held the blob in memory could not pass it on)
    List<String> optionsB = args.length > 3 ? List.of(args[3].split(" ")) : List.of();
    try (PaidNode a = PaidNode.withCatalog(dir.resolve("a"), "", "fetch_allow_private = true\nadvert_check_seconds = 1")) {
      Keys keyB = Keys.generate();
      Keys keyC = Keys.generate();
      int portB = TestNode.freePort();
      Path b = dir.resolve("b");
      Files.createDirectories(b);
      Files.writeString(b.resolve("archy.toml"), """
          [server]
          host = "127.0.0.1"
          port = %d
          data_dir = "%s"
          """.formatted(portB, b.resolve("data")) + a.peerConfig(keyB, List.of("ecash-gate", "film-catalog",
          "relay-bandwidth"), "[ecash-gate.prices]\nrelay-bandwidth = 0", """
          federation_peers = ["%s"]
          upstream_relays = ["%s"]
          advertise = false""".formatted(a.node.node.keys().publicKeyHex(), a.node.wsUrl()), """
          [relay-bandwidth]
          enabled = true"""));
      List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "--enable-native-access=ALL-UNNAMED", "-XX:+ExitOnOutOfMemoryError"));
      command.addAll(optionsB);
      command.addAll(List.of("-cp", System.getProperty("java.class.path"), "archy.cli.Main", "run", "--config",
          b.resolve("archy.toml").toString()));
      Process nodeB = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(b.resolve("node.log").toFile()).start();
      try (QuicEndpoint c = QuicPaidBlobsTest.client(dir.resolve("c"), keyC)) {
        KnownRelay relay = awaitRelay(new RelayDirectory(null, List.of(URI.create("ws://127.0.0.1:" + portB)),
            keyC.publicKeyHex(), Clock.systemUTC()), keyB.npub());
        RelayFetch relays = new RelayFetch(c, keyC.publicKeyHex());
        QuicTarget direct = new QuicTarget(a.node.node.quic().endpoint().orElseThrow(), "archy/paid-blobs/1",
            a.node.node.quic().fingerprint());
        System.out.printf("blob %d MiB, B pid %d, B RSS idle %d MiB%n", mib, nodeB.pid(), rssMib(nodeB.pid()));
        for (int i = 0; i < runs; i++) {
          String blake3 = a.film("bench" + i, null, mib << 20).blake3(1);
          awaitListed(new BlossomCalls("http://127.0.0.1:" + portB), "bench" + i);
          if (i == 0) System.out.println("direct (warm-up) " + directOnce(c, direct, blake3));
          System.out.println("direct     " + directOnce(c, direct, blake3));
          System.out.println("relay cold " + relayOnce(relays, relay, blake3, nodeB.pid()));
          System.out.println("relay warm " + relayOnce(relays, relay, blake3, nodeB.pid()));
          System.out.println("load average " + Files.readString(Path.of("/proc/loadavg")).trim());
        }
      } finally {
        nodeB.destroy();
        nodeB.waitFor();
      }
    }
  }

  private static KnownRelay awaitRelay(RelayDirectory directory, String npub) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 60_000;
    while (true) {
      try {
        return directory.resolve(npub);
      } catch (IllegalArgumentException notYet) {
        if (System.currentTimeMillis() > deadline) throw notYet;
        Thread.sleep(1_000);
      }
    }
  }

  /** B lists a film once it synced it from A (the relay refuses a blob of a film it does not list). */
  private static void awaitListed(BlossomCalls b, String d) throws Exception {
    long deadline = System.currentTimeMillis() + 60_000;
    while (!new String(b.get("/api/film-catalog").body()).contains("Film " + d)) {
      if (System.currentTimeMillis() > deadline) throw new IllegalStateException("B never listed film " + d);
      Thread.sleep(200);
    }
  }

  private static String directOnce(QuicEndpoint c, QuicTarget a, String blake3) throws Exception {
    long start = System.nanoTime();
    try (QuicResponse r = c.client().request(a, JSON.createObjectNode().put("want", blake3).put("offset", 0)
        .putNull("length"), true)) {
      if (r.status() != 200) throw new IllegalStateException("direct: " + r.header());
      return rate(read(r.body(), blake3), start);
    }
  }

  private static String relayOnce(RelayFetch relays, KnownRelay relay, String blake3, long pidB) throws Exception {
    AtomicLong peak = new AtomicLong();
    Thread sampler = Thread.ofPlatform().daemon().start(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        peak.accumulateAndGet(rssMib(pidB), Math::max);
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    long start = System.nanoTime();
    try (RelayFetch.Opened opened = relays.open(relay, blake3, 0, null)) {
      return rate(read(opened.body(), blake3), start) + ", B peak RSS " + peak.get() + " MiB";
    } finally {
      sampler.interrupt();
      sampler.join();
    }
  }

  /** Reads the body to its end, hashing it; fails unless it is the blob. */
  private static long read(InputStream body, String blake3) throws Exception {
    Blake3 hash = new Blake3();
    byte[] buf = new byte[1 << 20];
    long n = 0;
    for (int k; (k = body.read(buf)) > 0; n += k) hash.update(buf, 0, k);
    if (!Hex.encode(hash.digest()).equals(blake3)) throw new IllegalStateException("wrong bytes (" + n + ")");
    return n;
  }

  static String rate(long bytes, long startNanos) {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    return String.format("%.1f MiB/s (%.2f s)", bytes / 1048576.0 / seconds, seconds);
  }

  static long rssMib(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
      }
    } catch (Exception gone) {
      // the process ended
    }
    return 0;
  }
}
