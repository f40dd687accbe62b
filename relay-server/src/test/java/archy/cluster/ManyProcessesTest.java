package archy.cluster;

import static archy.testing.BlossomCalls.sha256;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.nostr.Event;
import archy.nostr.EventSigner;
import archy.nostr.Keys;
import archy.testing.BlossomCalls;
import archy.testing.ExternalTools;
import archy.testing.PostgresSchema;
import archy.testing.RelayCalls;
import archy.testing.RelayProcess;
import archy.testing.S3rver;
import archy.testing.TestNode;
import archy.testing.WsClient;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two relay processes on one PostgreSQL database and one S3 bucket, behind a real HAProxy (Debian's), as
 * docs/operations.md describes: a client connected through the balancer gets live events published on either
 * process; a blob uploaded to one is served by the other; one process killed mid-load, the publisher
 * reconnects through the balancer, and every event that was acknowledged is still there.
 */
class ManyProcessesTest {
  @TempDir Path dir;

  @Test
  void twoProcessesBehindHaproxyShareEventsAndBlobsAndSurviveOneDying() throws Exception {
    String haproxy = ExternalTools.find("haproxy");
    if (haproxy == null) haproxy = Files.isExecutable(Path.of("/usr/sbin/haproxy")) ? "/usr/sbin/haproxy" : null;
    if (haproxy == null) ExternalTools.missing("haproxy not found, needed by the load-balancer test");
    try (PostgresSchema schema = PostgresSchema.create(); S3rver s3 = S3rver.start(dir.resolve("s3"))) {
      String toml = "[storage]\nurl = \"" + schema.storageUrl() + "\"\n[blossom]\n" + s3.blossomConfig("cluster/")
          + "[plugins]\nenabled = []\n";
      try (RelayProcess a = RelayProcess.start(Files.createDirectories(dir.resolve("a")), toml);
           RelayProcess b = RelayProcess.start(Files.createDirectories(dir.resolve("b")), toml);
           Balancer lb = Balancer.start(haproxy, dir, a.port, b.port)) {
        liveEventsFromEitherProcess(lb, a, b);
        blobsUploadedOnOneAreServedByTheOther(a, b);
        nothingAcknowledgedIsLostWhenOneDies(lb, a);
      }
    }
  }

  private static void liveEventsFromEitherProcess(Balancer lb, RelayProcess a, RelayProcess b) {
    Keys alice = Keys.generate();
    // Round robin: of two clients through the balancer, one lands on each process.
    List<WsClient> viaBalancer = List.of(WsClient.connectSkippingAuth(lb.wsUrl()), WsClient.connectSkippingAuth(lb.wsUrl()));
    try (WsClient onA = WsClient.connectSkippingAuth(a.wsUrl()); WsClient onB = WsClient.connectSkippingAuth(b.wsUrl())) {
      for (WsClient c : viaBalancer) {
        RelayCalls.reqOpen(c, "live", "{\"kinds\":[1],\"authors\":[\"" + alice.publicKeyHex() + "\"]}");
      }
      Event first = EventSigner.sign(alice, RelayCalls.now(), 1, List.of(), "published on a");
      Event second = EventSigner.sign(alice, RelayCalls.now(), 1, List.of(), "published on b");
      assertTrue(RelayCalls.publish(onA, first).path(2).asBoolean());
      assertTrue(RelayCalls.publish(onB, second).path(2).asBoolean());
      for (WsClient c : viaBalancer) {
        Set<String> got = new HashSet<>();
        for (int i = 0; i < 2; i++) {
          JsonNode m = c.next(10_000);
          assertEquals("EVENT", m.path(0).asText(), m.toString());
          got.add(m.path(2).path("id").asText());
        }
        assertEquals(Set.of(first.id(), second.id()), got, "each balanced client sees both processes' events");
      }
    } finally {
      viaBalancer.forEach(WsClient::close);
    }
  }

  private static void blobsUploadedOnOneAreServedByTheOther(RelayProcess a, RelayProcess b) throws Exception {
    BlossomCalls onA = new BlossomCalls("http://127.0.0.1:" + a.port);
    BlossomCalls onB = new BlossomCalls("http://127.0.0.1:" + b.port);
    byte[] blob = new byte[3 << 20];
    new Random(3).nextBytes(blob);
    Keys bob = Keys.generate();
    HttpResponse<String> up = onA.upload(bob, blob, "video/mp4");
    assertEquals(201, up.statusCode(), up.body());
    HttpResponse<byte[]> got = onB.get("/" + sha256(blob));
    assertEquals(200, got.statusCode());
    assertArrayEquals(blob, got.body());
    HttpResponse<byte[]> range = onB.get("/" + sha256(blob), "Range", "bytes=-10");
    assertEquals(206, range.statusCode());
    assertArrayEquals(java.util.Arrays.copyOfRange(blob, blob.length - 10, blob.length), range.body());
    assertEquals(200, onB.delete(bob, sha256(blob)).statusCode());
    assertEquals(404, onA.get("/" + sha256(blob)).statusCode(), "deleted on b, gone on a");
  }

  /** Publishes through the balancer, kills {@code victim} half way, reconnects and resends what was not acknowledged. */
  private static void nothingAcknowledgedIsLostWhenOneDies(Balancer lb, RelayProcess victim) throws Exception {
    Keys carol = Keys.generate();
    List<String> acknowledged = new ArrayList<>();
    int reconnects = 0;
    List<WsClient> publishers = new ArrayList<>(List.of(WsClient.connectSkippingAuth(lb.wsUrl()), WsClient.connectSkippingAuth(lb.wsUrl())));
    for (int i = 0; i < 200; i++) {
      if (i == 100) victim.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      Event e = EventSigner.sign(carol, RelayCalls.now(), 1, List.of(), "load " + i);
      int p = i % 2;
      while (true) {
        try {
          publishers.get(p).send("[\"EVENT\"," + e.json() + "]");
          JsonNode ok = publishers.get(p).next(3_000);
          if (ok.path(0).asText().equals("OK") && ok.path(2).asBoolean()) {
            acknowledged.add(e.id());
            break;
          }
        } catch (RuntimeException | AssertionError lost) {
          // The process behind this connection died: not acknowledged, so send it again on a new connection.
        }
        publishers.get(p).close();
        publishers.set(p, WsClient.connectSkippingAuth(lb.wsUrl()));
        reconnects++;
      }
    }
    publishers.forEach(WsClient::close);
    assertTrue(reconnects > 0, "the kill cut a connection");
    assertEquals(200, acknowledged.size());
    try (WsClient reader = WsClient.connectSkippingAuth(lb.wsUrl())) {
      List<String> stored = RelayCalls.req(reader, "all",
          "{\"authors\":[\"" + carol.publicKeyHex() + "\"],\"limit\":1000}");
      assertEquals(new HashSet<>(acknowledged), new HashSet<>(stored), "every acknowledged event survived");
    }
  }

  /** HAProxy in the foreground: WebSocket-aware (HTTP mode, tunnel timeout), fast health checks. */
  record Balancer(Process process, int port) implements AutoCloseable {
    static Balancer start(String haproxy, Path dir, int... backends) throws IOException, InterruptedException {
      int port = TestNode.freePort();
      StringBuilder cfg = new StringBuilder(template().replace("{port}", String.valueOf(port)));
      for (int i = 0; i < backends.length; i++) {
        cfg.append("  server r").append(i).append(" 127.0.0.1:").append(backends[i])
            .append(" check inter 300ms fall 1 rise 2 on-marked-down shutdown-sessions\n");
      }
      Path file = Files.writeString(dir.resolve("haproxy.cfg"), cfg);
      Process p = new ProcessBuilder(haproxy, "-db", "-f", file.toString()).redirectErrorStream(true)
          .redirectOutput(dir.resolve("haproxy.log").toFile()).start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (System.nanoTime() < deadline) {
        try (var s = new java.net.Socket("127.0.0.1", port)) {
          Thread.sleep(700); // the first health checks mark the servers up
          return new Balancer(p, port);
        } catch (IOException notYet) {
          Thread.sleep(50);
        }
      }
      p.destroyForcibly();
      throw new IllegalStateException("haproxy did not start: " + Files.readString(dir.resolve("haproxy.log")));
    }

    /** The balancer settings the test shares with bench/lb-bench.mjs (test resource haproxy-relays.cfg). */
    private static String template() throws IOException {
      try (var in = ManyProcessesTest.class.getResourceAsStream("/haproxy-relays.cfg")) {
        return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      }
    }

    String wsUrl() {
      return "ws://127.0.0.1:" + port;
    }

    @Override
    public void close() throws InterruptedException {
      process.destroy();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
