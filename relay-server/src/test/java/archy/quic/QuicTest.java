package archy.quic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.config.Config;
import archy.config.ConfigLoader;
import archy.nostr.Event;
import archy.nostr.EventSigner;
import archy.nostr.Keys;
import archy.testing.TestNode;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The host's QUIC side through a real node, real UDP sockets on 127.0.0.1 and the probe protocol. */
class QuicTest {
  private static final long MIB = 1 << 20;

  @TempDir Path dir;
  private TestNode node;
  private int quicPort;
  private final List<QuicEndpoint> clients = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    QuicProbePlugin.sent.clear();
    quicPort = freeUdpPort();
    node = startNode(dir.resolve("node"));
  }

  private TestNode startNode(Path data) throws Exception {
    return TestNode.start(data, """
        [server]
        quic_port = %d
        [plugins]
        enabled = ["quic-probe"]
        [quic]
        idle_timeout_seconds = 5
        header_timeout_seconds = 3
        max_connections_per_ip = 4
        max_streams_per_connection = 50
        """.formatted(quicPort));
  }

  @AfterEach
  void stop() {
    clients.forEach(QuicEndpoint::close);
    if (node != null) node.close();
  }

  /** Another node's QUIC side, with its own certificate and key, to dial from. */
  private QuicEndpoint peerNode(String name, Keys keys) throws IOException {
    Path data = dir.resolve(name);
    Config config = ConfigLoader.parse("[server]\nquic_port = 0\n[quic]\nidle_timeout_seconds = 5\n",
        new ConfigLoader.Overrides("127.0.0.1", 1, null, data, null, null));
    Files.createDirectories(data);
    QuicEndpoint peer = new QuicEndpoint(config.server(), config.quic(), QuicIdentity.load(data), keys, Clock.systemUTC());
    clients.add(peer);
    return peer;
  }

  private QuicTarget target() {
    return new QuicTarget("127.0.0.1:" + quicPort, QuicProbePlugin.ALPN, node.node.quic().fingerprint());
  }

  private static ObjectNode header(String op) {
    return QuicStatus.JSON.createObjectNode().put("op", op);
  }

  private JsonNode echo(QuicClient client, String text) throws IOException {
    try (QuicResponse r = client.request(target(), header("echo").put("text", text), false)) {
      assertEquals(-1, r.body().read(), "an echo has no body");
      return r.header();
    }
  }

  @Test
  void roundTripAndTheCertificateIsKeptAcrossRestarts() throws Exception {
    QuicEndpoint peer = peerNode("peer", Keys.generate());
    JsonNode answer = echo(peer.client(), "hello");
    assertEquals(200, answer.path("status").asInt());
    assertEquals("hello", answer.path("echo").asText());
    assertTrue(answer.path("peer").isNull(), "no auth: anonymous");
    assertEquals(peer.fingerprint(), answer.path("client").asText(), "the server sees the client's own certificate");
    for (int i = 0; i < 300; i++) assertEquals("n" + i, echo(peer.client(), "n" + i).path("echo").asText());

    String fingerprint = node.node.quic().fingerprint();
    assertEquals(fingerprint, QuicIdentity.load(dir.resolve("node")).fingerprint());
    node.close();
    node = startNode(dir.resolve("node"));
    assertEquals(fingerprint, node.node.quic().fingerprint(), "the certificate survives a restart");
    assertEquals("again", echo(peerNode("peer2", Keys.generate()).client(), "again").path("echo").asText());
  }

  @Test
  void streams64MiBWithBoundedMemory() throws Exception {
    QuicClient client = peerNode("peer", Keys.generate()).client();
    AtomicLong peak = new AtomicLong();
    AtomicBoolean running = new AtomicBoolean(true);
    Thread sampler = Thread.ofPlatform().daemon().start(() -> {
      while (running.get()) {
        ByteBufAllocatorMetric metric = ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric();
        peak.accumulateAndGet(metric.usedDirectMemory() + metric.usedHeapMemory(), Math::max);
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    long length = 64 * MIB;
    try (QuicResponse r = client.request(target(), header("bytes").put("length", length), false)) {
      assertEquals(200, r.status());
      assertEquals(length, readPattern(r.body()));
    } finally {
      running.set(false);
      sampler.join();
    }
    QuicReply.Sent sent = QuicProbePlugin.sent.poll(10, TimeUnit.SECONDS);
    assertEquals(new QuicReply.Sent(length, true), sent, "the handler learns the bytes it sent");
    System.out.println("64 MiB body: Netty buffers peaked at " + peak.get() / 1024 + " KiB");
    assertTrue(peak.get() > 0, "the sampler saw the buffers in use");
    assertTrue(peak.get() < 16 * MIB, "Netty buffers peaked at " + peak.get() / MIB + " MiB for a 64 MiB body");
  }

  /** Reads a probe body, checking every byte; returns its length. */
  private static long readPattern(InputStream body) throws IOException {
    byte[] buf = new byte[65536];
    long at = 0;
    for (int n; (n = body.read(buf)) > 0; ) {
      for (int i = 0; i < n; i++) {
        if (buf[i] != QuicProbePlugin.at(at + i)) throw new AssertionError("byte " + (at + i) + " differs");
      }
      at += n;
    }
    return at;
  }

  @Test
  void anAnswerCutOffIsAnErrorNotAShortBody() throws Exception {
    QuicClient client = peerNode("peer", Keys.generate()).client();
    try (QuicResponse r = client.request(target(), header("cut").put("length", MIB), false)) {
      assertEquals(200, r.status());
      assertThrows(IOException.class, () -> readPattern(r.body()));
    }
    QuicReply.Sent sent = QuicProbePlugin.sent.poll(10, TimeUnit.SECONDS);
    assertNotNull(sent);
    assertFalse(sent.complete());
    assertEquals("after", echo(client, "after").path("echo").asText());
  }

  @Test
  void aWrongFingerprintIsRefusedBeforeAnythingIsSent() throws Exception {
    QuicClient client = peerNode("peer", Keys.generate()).client();
    QuicTarget wrong = new QuicTarget(target().hostPort(), QuicProbePlugin.ALPN, "00".repeat(32));
    QuicPinningException e = assertThrows(QuicPinningException.class,
        () -> client.request(wrong, header("echo"), false));
    assertTrue(e.getMessage().contains(node.node.quic().fingerprint()), e.getMessage());
    assertEquals(200, echo(client, "x").path("status").asInt(), "the right pin works");
  }

  @Test
  void authNamesThePeerAndForgedOrReplayedAuthIsRefused() throws Exception {
    Keys keys = Keys.generate();
    QuicEndpoint peer = peerNode("peer", keys);
    try (QuicResponse r = peer.client().request(target(), header("echo"), true)) {
      assertEquals(200, r.status());
      assertEquals(keys.publicKeyHex(), r.header().path("peer").asText(), "a valid auth gives the peer's node key");
    }

    Event valid = QuicAuth.sign(keys, Clock.systemUTC(), target(), peer.fingerprint());
    ObjectNode forged = (ObjectNode) QuicStatus.JSON.readTree(valid.json());
    forged.put("pubkey", Keys.generate().publicKeyHex());
    assertUnauthorized(peer, forged, "auth:");

    QuicEndpoint other = peerNode("other", Keys.generate());
    Event replayed = QuicAuth.sign(keys, Clock.systemUTC(), target(), other.fingerprint());
    assertUnauthorized(peer, QuicStatus.JSON.readTree(replayed.json()), "client tag");

    QuicTarget otherServer = new QuicTarget(target().hostPort(), target().alpn(), "ab".repeat(32));
    assertUnauthorized(peer, QuicStatus.JSON.readTree(QuicAuth.sign(keys, Clock.systemUTC(), otherServer,
        peer.fingerprint()).json()), "server tag");

    Event old = EventSigner.sign(keys, Clock.systemUTC().instant().getEpochSecond() - 600, QuicAuth.KIND, valid.tags(), "");
    assertUnauthorized(peer, QuicStatus.JSON.readTree(old.json()), "created_at");

    QuicTarget elsewhere = new QuicTarget("127.0.0.1:1", target().alpn(), target().fingerprint());
    assertUnauthorized(peer, QuicStatus.JSON.readTree(QuicAuth.sign(keys, Clock.systemUTC(), elsewhere,
        peer.fingerprint()).json()), "u tag");
    assertUnauthorized(peer, QuicStatus.JSON.readTree("\"nope\""), "kind 27235");
  }

  private void assertUnauthorized(QuicEndpoint peer, JsonNode auth, String reason) throws IOException {
    ObjectNode h = header("echo");
    h.set("auth", auth);
    try (QuicResponse r = peer.client().request(target(), h, false)) {
      assertEquals(401, r.status(), r.header().toString());
      assertTrue(r.header().path("reason").asText().contains(reason), r.header().toString());
    }
  }

  @Test
  void badInputGetsAClearAnswerAndTheNodeKeepsServing() throws Exception {
    QuicClient client = peerNode("peer", Keys.generate()).client();
    assertBad(client, "a".repeat(70_000).getBytes(StandardCharsets.US_ASCII), true, "header over 65536 bytes");
    assertBad(client, bytes("hello\n"), true, "the header is not JSON");
    assertBad(client, bytes("[1]\n"), true, "the header must be a JSON object");
    assertBad(client, bytes("{\"op\":\"echo\""), true, "the stream ended before the header line's \\n");
    assertBad(client, bytes("{}\n{}"), true, "nothing may follow the header line");
    assertBad(client, bytes("{\"op\":\"echo\"}\n"), false, "no complete header and end of stream within 3 s");
    assertBad(client, bytes("{\"op\":\"other\"}\n"), true, "unknown op");

    QuicTarget unknown = new QuicTarget(target().hostPort(), "archy/none/1", target().fingerprint());
    IOException e = assertThrows(IOException.class, () -> client.request(unknown, header("echo"), false));
    assertTrue(e.getMessage().contains("handshake"), e.getMessage());
    assertEquals("still here", echo(client, "still here").path("echo").asText());
  }

  private void assertBad(QuicClient client, byte[] request, boolean fin, String reason) throws IOException {
    try (QuicResponse r = client.send(target(), request, fin)) {
      assertEquals(400, r.status(), r.header().toString());
      assertEquals(reason, r.header().path("reason").asText());
    }
    assertEquals(200, echo(client, "ok").path("status").asInt());
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aPeerThatNeverReadsIsCutOffAndOthersAreServed() throws Exception {
    QuicClient lazy = peerNode("lazy", Keys.generate()).client();
    QuicClient other = peerNode("other", Keys.generate()).client();
    try (QuicResponse r = lazy.request(target(), header("bytes").put("length", 1024 * MIB), false)) {
      assertEquals(200, r.status());
      assertEquals(200, echo(other, "meanwhile").path("status").asInt());
      // The server's writer waits on flow control, then gives up after the idle timeout (5 s here).
      QuicReply.Sent sent = QuicProbePlugin.sent.poll(60, TimeUnit.SECONDS);
      assertNotNull(sent, "the stalled answer ended");
      assertFalse(sent.complete());
      assertTrue(sent.bytes() < 32 * MIB, "only the windows' worth was sent: " + sent.bytes());
    }
    assertEquals(200, echo(other, "after").path("status").asInt());
  }

  @Test
  void aThousandStreamsAtOnceAreAllAnswered() throws Exception {
    QuicClient client = peerNode("peer", Keys.generate()).client();
    echo(client, "connect first");
    List<Future<Integer>> statuses = new ArrayList<>();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 1000; i++) {
        String text = "s" + i;
        statuses.add(threads.submit(() -> {
          try (QuicResponse r = client.request(target(), header("echo").put("text", text), false)) {
            if (r.status() == 200) assertEquals(text, r.header().path("echo").asText());
            if (r.status() == 429) assertTrue(r.header().path("retry_after").asInt() > 0);
            return r.status();
          }
        }));
      }
    }
    int ok = 0;
    for (Future<Integer> f : statuses) {
      int status = f.get(120, TimeUnit.SECONDS);
      assertTrue(status == 200 || status == 429, "status " + status);
      if (status == 200) ok++;
    }
    assertTrue(ok >= 50, ok + " of 1000 served");
    assertEquals("after", echo(client, "after").path("echo").asText());
  }

  @Test
  void connectionsPastThePerIpLimitAnswer429() throws Exception {
    List<QuicClient> open = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      QuicClient c = peerNode("peer" + i, Keys.generate()).client();
      assertEquals(200, echo(c, "in").path("status").asInt());
      open.add(c);
    }
    QuicClient fifth = peerNode("fifth", Keys.generate()).client();
    try (QuicResponse r = fifth.request(target(), header("echo"), false)) {
      assertEquals(429, r.status());
      assertEquals("more than 4 connections from your address", r.header().path("reason").asText());
    }
    clients.get(0).close();
    // The closed connection frees its place; the fifth dials again once the refused one is gone.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    int status = 0;
    while (System.nanoTime() < deadline && status != 200) {
      try (QuicResponse r = fifth.request(target(), header("echo"), false)) {
        status = r.status();
      } catch (IOException e) {
        status = -1;
      }
      if (status != 200) Thread.sleep(200);
    }
    assertEquals(200, status);
    assertEquals(200, echo(open.get(1), "still").path("status").asInt());
  }

  @Test
  void thePortStaysClosedWithoutAProtocolOrWithQuicPortZero() throws Exception {
    int port = freeUdpPort();
    try (TestNode plain = TestNode.start(dir.resolve("plain"), "[server]\nquic_port = " + port + "\n")) {
      assertEquals(0, plain.node.quic().port(), "no plugin registered a protocol");
      try (DatagramSocket s = new DatagramSocket(port)) {
        assertEquals(port, s.getLocalPort(), "the UDP port is free");
      }
      assertEquals(64, plain.node.quic().fingerprint().length(), "the certificate exists for adverts anyway");
      assertThrows(IllegalStateException.class, () -> plain.node.quic().register("late/1", (r, reply) -> {}));
    }
    try (TestNode off = TestNode.start(dir.resolve("off"), "[server]\nquic_port = 0\n[plugins]\nenabled = [\"quic-probe\"]\n")) {
      assertEquals(0, off.node.quic().port());
      assertTrue(off.node.quic().endpoint().isEmpty());
    }
    assertEquals(quicPort, node.node.quic().port());
    assertEquals("127.0.0.1:" + quicPort, node.node.quic().endpoint().orElseThrow());
  }

  private static int freeUdpPort() throws IOException {
    return TestNode.freeUdpPort();
  }
}
