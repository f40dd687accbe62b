package archy.paidblobs;

import archy.nostr.Keys;
import archy.testing.BlossomCalls;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A 64 MiB GET inside a funded session against the same GET of a free blob (issue 6: ≥ 0.95×), with wrk. A main
 * in the test sources (command and figures in docs/benchmarks.md): it starts a node with the dev mint, publishes
 * a film at 1 sat/MB holding one 64 MiB segment, uploads another 64 MiB blob outside any film, funds one session
 * with 500,000 sat (500 GB of this film), then alternates {@code wrk -t1 -c1 -d10s} runs on the two.
 */
public final class PaidGetBenchmark {
  private PaidGetBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "/tmp/paid-bench");
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    try (PaidNode n = PaidNode.start(dir, "")) {
      PaidNode.Film film = n.film("bench", 1L, 64 << 20);
      byte[] free = PaidNode.random(64 << 20);
      if (n.blossom.upload(Keys.generate(), free, "video/mp2t").statusCode() >= 300) throw new IllegalStateException("upload");
      String session = PaidGetTest.header(n.blossom.get("/" + film.sha256(0)), "X-Archy-Session");
      HttpResponse<byte[]> funded = n.blossom.get("/" + film.sha256(0), "X-Cashu", n.mint.token(500_000).encode(),
          "X-Archy-Session", session);
      if (funded.statusCode() != 200) throw new IllegalStateException("funding: " + funded.statusCode());
      String paidUrl = n.url() + "/" + film.sha256(1);
      String freeUrl = n.url() + "/" + BlossomCalls.sha256(free);
      wrk(freeUrl, null); // warm-up: JIT and page cache
      wrk(paidUrl, session);
      for (int i = 0; i < runs; i++) {
        System.out.println("free " + wrk(freeUrl, null));
        System.out.println("paid " + wrk(paidUrl, session));
      }
    }
  }

  /** One {@code wrk -t1 -c1 -d10s} run: its Requests/sec and Transfer/sec lines, and any non-2xx count. */
  private static String wrk(String url, String session) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("wrk", "-t1", "-c1", "-d10s"));
    if (session != null) command.addAll(List.of("-H", "X-Archy-Session: " + session));
    command.add(url);
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    StringBuilder summary = new StringBuilder();
    for (String line : out.split("\n")) {
      if (line.contains("Requests/sec") || line.contains("Transfer/sec") || line.contains("Non-2xx")) {
        summary.append(line.strip()).append("  ");
      }
    }
    return summary.toString();
  }
}
