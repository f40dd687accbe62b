package archy.quic;

import archy.config.Config;
import archy.config.ConfigLoader;
import archy.nostr.Keys;
import archy.testing.TestNode;
import java.io.InputStream;
import java.net.DatagramSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Throughput of the host's QUIC layer on loopback (docs/benchmarks.md): a node serving the probe protocol and a
 * second QUIC endpoint in the same JVM dialling it. A main, not a test:
 * {@code java -cp target/classes:target/test-classes:target/lib/* archy.quic.QuicBenchmark [MiB] [runs]}.
 */
final class QuicBenchmark {
  private QuicBenchmark() {}

  public static void main(String[] args) throws Exception {
    long mib = args.length > 0 ? Long.parseLong(args[0]) : 256;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    Path dir = Files.createTempDirectory("archy-quic-bench");
    int port;
    try (DatagramSocket s = new DatagramSocket(0)) {
      port = s.getLocalPort();
    }
    try (TestNode node = TestNode.start(dir.resolve("node"),
        "[server]\nquic_port = " + port + "\n[plugins]\nenabled = [\"quic-probe\"]\n")) {
      Config config = ConfigLoader.parse("[server]\nquic_port = 0\n",
          new ConfigLoader.Overrides("127.0.0.1", 1, null, dir.resolve("client"), null, null));
      Files.createDirectories(dir.resolve("client"));
      try (QuicEndpoint peer = new QuicEndpoint(config.server(), config.quic(), QuicIdentity.load(dir.resolve("client")),
          Keys.generate(), Clock.systemUTC())) {
        QuicTarget target = new QuicTarget("127.0.0.1:" + port, QuicProbePlugin.ALPN, node.node.quic().fingerprint());
        for (int run = 0; run <= runs; run++) {
          long start = System.nanoTime();
          long got = fetch(peer.client(), target, mib << 20);
          double seconds = (System.nanoTime() - start) / 1e9;
          System.out.printf("%s %d MiB in %.2f s: %.0f MiB/s%n", run == 0 ? "warm-up" : "run " + run, got >> 20,
              seconds, (got >> 20) / seconds);
        }
        concurrent(peer.client(), target, 100, 1 << 20);
      }
    }
  }

  private static long fetch(QuicClient client, QuicTarget target, long length) throws Exception {
    try (QuicResponse r = client.request(target, QuicStatus.JSON.createObjectNode().put("op", "bytes")
        .put("length", length), false); InputStream body = r.body()) {
      byte[] buf = new byte[1 << 16];
      long total = 0;
      for (int n; (n = body.read(buf)) > 0; ) total += n;
      if (total != length) throw new IllegalStateException("got " + total + " of " + length);
      return total;
    }
  }

  /** {@code n} requests of {@code length} bytes at once: per-request latency percentiles. */
  private static void concurrent(QuicClient client, QuicTarget target, int n, long length) throws Exception {
    for (int round = 0; round < 3; round++) {
      List<Future<Long>> times = new ArrayList<>();
      long start = System.nanoTime();
      try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int i = 0; i < n; i++) {
          times.add(threads.submit(() -> {
            long t = System.nanoTime();
            fetch(client, target, length);
            return System.nanoTime() - t;
          }));
        }
      }
      long wall = System.nanoTime() - start;
      long[] ms = new long[n];
      for (int i = 0; i < n; i++) ms[i] = times.get(i).get() / 1_000_000;
      Arrays.sort(ms);
      System.out.printf("%d x %d MiB at once: p50 %d ms, p99 %d ms, all in %d ms%n", n, length >> 20, ms[n / 2],
          ms[(int) (n * 0.99) - 1], wall / 1_000_000);
    }
  }
}
