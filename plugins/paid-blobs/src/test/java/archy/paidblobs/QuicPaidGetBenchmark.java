package archy.paidblobs;

import archy.hash.Blake3;
import archy.nostr.Hex;
import archy.nostr.Keys;
import archy.quic.QuicEndpoint;
import archy.quic.QuicResponse;
import archy.quic.QuicTarget;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Issue 13's paid-blobs targets on loopback: one blob of a priced film fetched over {@code archy/paid-blobs/1} in
 * one funded session against the HTTP GET of the same blob in the same session on the same node (≥ 0.8×), then
 * 100 concurrent 1 MiB QUIC GETs (ranges of the blob, same session) with p50/p99 and the RSS. A main in the test
 * sources (command and figures in docs/benchmarks.md). The node, the QUIC client and the HTTP client share this JVM,
 * so the RSS printed is theirs together. The first fetch on each transport is a warm-up whose bytes are hashed and
 * checked; timed fetches count bytes and check the length. Arguments: the work directory, runs, the blob's MiB.
 */
public final class QuicPaidGetBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();

  private QuicPaidGetBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "/tmp/quic-paid-bench");
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    int mib = args.length > 2 ? Integer.parseInt(args[2]) : 256;
    try (PaidNode a = PaidNode.start(dir.resolve("a"), "");
         QuicEndpoint c = QuicPaidBlobsTest.client(dir.resolve("c"), Keys.generate())) {
      PaidNode.Film film = a.film("bench", 1L, mib << 20);
      String session = PaidGetTest.header(a.blossom.get("/" + film.sha256(1)), "X-Archy-Session");
      // 1 sat/MB: 500,000 sat is ~500 GB, so no fetch here runs out.
      HttpResponse<byte[]> funded = a.blossom.get("/" + film.sha256(1), "X-Cashu", a.mint.token(500_000).encode(),
          "X-Archy-Session", session);
      if (funded.statusCode() != 200) throw new IllegalStateException("funding: " + funded.statusCode());
      QuicTarget target = new QuicTarget(a.node.node.quic().endpoint().orElseThrow(), QuicPaidBlobs.ALPN,
          a.node.node.quic().fingerprint());
      HttpClient http = HttpClient.newHttpClient();
      URI url = URI.create(a.url() + "/" + film.sha256(1));
      long length = (long) mib << 20;
      System.out.printf("blob %d MiB, load %s, RSS %d MiB%n", mib, load(), rssMib());
      System.out.println("quic warm-up (hashed) " + quic(c, target, session, film.blake3(1), 0, length, true));
      System.out.println("http warm-up (hashed) " + http(http, url, session, film.blake3(1), length, true));
      for (int i = 0; i < runs; i++) {
        String q = quic(c, target, session, film.blake3(1), 0, length, false);
        String h = http(http, url, session, film.blake3(1), length, false);
        System.out.println("quic " + q + "  http " + h + "  curl " + curl(url, session, length) + "  load " + load());
      }
      for (int round = 0; round < 3; round++) concurrent(c, target, session, film.blake3(1), Math.min(100, mib));
    }
  }

  private static String quic(QuicEndpoint c, QuicTarget target, String session, String blake3, long offset, long length,
      boolean hash) throws Exception {
    long start = System.nanoTime();
    ObjectNode want = JSON.createObjectNode().put("want", blake3).put("offset", offset).put("length", length)
        .put("session", session);
    try (QuicResponse r = c.client().request(target, want, false)) {
      if (r.status() != 200) throw new IllegalStateException("quic: " + r.header());
      return RelayBenchmark.rate(read(r.body(), length, hash ? blake3 : null), start);
    }
  }

  private static String http(HttpClient http, URI url, String session, String blake3, long length, boolean hash)
      throws Exception {
    long start = System.nanoTime();
    HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(url).header("X-Archy-Session", session).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    if (r.statusCode() != 200) throw new IllegalStateException("http: " + r.statusCode());
    try (InputStream body = r.body()) {
      return RelayBenchmark.rate(read(body, length, hash ? blake3 : null), start);
    }
  }

  /** The same GET by curl (a native client, as wrk in the HTTP rows of docs/benchmarks.md), body discarded. */
  private static String curl(URI url, String session, long length) throws Exception {
    Process p = new ProcessBuilder("curl", "-s", "-o", "/dev/null", "-w", "%{http_code} %{size_download} %{speed_download}",
        "-H", "X-Archy-Session: " + session, url.toString()).redirectErrorStream(true).start();
    String[] out = new String(p.getInputStream().readAllBytes()).strip().split(" ");
    p.waitFor();
    if (!out[0].equals("200") || Long.parseLong(out[1]) != length) throw new IllegalStateException("curl: " + String.join(" ", out));
    return String.format("%.1f MiB/s", Double.parseDouble(out[2]) / 1048576.0);
  }

  /** {@code n} ranges of 1 MiB at once on one connection: per-request latency percentiles and the peak RSS. */
  private static void concurrent(QuicEndpoint c, QuicTarget target, String session, String blake3, int n)
      throws Exception {
    long before = rssMib();
    AtomicLong peak = new AtomicLong(before);
    Thread sampler = Thread.ofPlatform().daemon().start(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        peak.accumulateAndGet(rssMib(), Math::max);
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    List<Future<Long>> times = new ArrayList<>();
    long start = System.nanoTime();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < n; i++) {
        long offset = (long) i << 20;
        times.add(threads.submit(() -> {
          long t = System.nanoTime();
          quic(c, target, session, blake3, offset, 1 << 20, false);
          return System.nanoTime() - t;
        }));
      }
    }
    long wall = System.nanoTime() - start;
    sampler.interrupt();
    sampler.join();
    long[] ms = new long[n];
    for (int i = 0; i < n; i++) ms[i] = times.get(i).get() / 1_000_000;
    Arrays.sort(ms);
    System.out.printf("%d x 1 MiB at once: p50 %d ms, p99 %d ms, all in %d ms, RSS %d -> peak %d MiB, load %s%n",
        n, ms[n / 2], ms[Math.max(0, (int) Math.ceil(n * 0.99) - 1)], wall / 1_000_000, before, peak.get(), load());
  }

  /** Reads the body to its end; fails unless it has {@code length} bytes and, given a hash, is the blob. */
  private static long read(InputStream body, long length, String blake3) throws Exception {
    Blake3 hash = blake3 == null ? null : new Blake3();
    byte[] buf = new byte[1 << 16];
    long n = 0;
    for (int k; (k = body.read(buf)) > 0; n += k) if (hash != null) hash.update(buf, 0, k);
    if (n != length) throw new IllegalStateException("got " + n + " of " + length);
    if (hash != null && !Hex.encode(hash.digest()).equals(blake3)) throw new IllegalStateException("wrong bytes");
    return n;
  }

  private static String load() throws Exception {
    return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
  }

  private static long rssMib() {
    return RelayBenchmark.rssMib(ProcessHandle.current().pid());
  }
}
