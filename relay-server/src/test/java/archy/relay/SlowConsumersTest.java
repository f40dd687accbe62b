package archy.relay;

import static archy.testing.RelayCalls.now;
import static archy.testing.RelayCalls.publish;
import static archy.testing.RelayCalls.req;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.nostr.Event;
import archy.nostr.EventSigner;
import archy.nostr.Keys;
import archy.testing.RawWsClient;
import archy.testing.TestNode;
import archy.testing.WsClient;
import io.micrometer.core.instrument.Gauge;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attack of issue 10: many clients from one address subscribe and never read while large events
 * arrive. Each stays under the per-connection cap, so only the shared output budget stands between them
 * and the heap; the node must cut off the stalled readers and keep serving everyone else.
 */
class SlowConsumersTest {
  private static final int STALLED = 190;
  private static final long BUDGET = 8L << 20;

  @TempDir Path dir;

  /** The same attack against each bound: all connections together, and one address's connections. */
  @ParameterizedTest
  @CsvSource({"max_pending_output_bytes_total, max_pending_output_bytes_per_ip",
      "max_pending_output_bytes_per_ip, max_pending_output_bytes_total"})
  void stalledSubscribersAreCutOffAndTheQueuedOutputStaysBounded(String bounded, String unbounded) throws Exception {
    String toml = "[relay]\nevents_per_second = 100000\nevent_burst = 100000\nmax_connections_per_ip = 1000\n"
        + bounded + " = " + BUDGET + "\n" + unbounded + " = " + (1L << 30) + "\n";
    Keys author = Keys.generate();
    List<RawWsClient> stalled = new ArrayList<>();
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    try (TestNode node = TestNode.start(dir, toml);
         WsClient publisher = WsClient.connectSkippingAuth(node.wsUrl())) {
      Gauge queued = node.node.metrics().get("archy.output.queued.bytes").gauge();
      AtomicLong mostQueued = new AtomicLong();
      sampler.scheduleAtFixedRate(() -> mostQueued.accumulateAndGet((long) queued.value(), Math::max),
          0, 5, TimeUnit.MILLISECONDS);
      String filter = "{\"authors\":[\"" + author.publicKeyHex() + "\"]}";
      for (int i = 0; i < STALLED; i++) {
        RawWsClient c = RawWsClient.connect(node.port);
        c.sendText("[\"REQ\",\"s\"," + filter + "]");
        stalled.add(c);
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (node.node.connections() < STALLED + 1 && System.nanoTime() < deadline) Thread.sleep(20);
      assertEquals(STALLED + 1, node.node.connections());

      // 800 events of 60 KB: 9 GB of output if every stalled reader kept a copy of each.
      String big = "x".repeat(60_000);
      for (int i = 0; i < 800; i++) {
        Event e = EventSigner.sign(author, now(), 1, List.of(), big + i);
        assertTrue(publish(publisher, e).path(2).asBoolean(), "event " + i + " was stored");
      }

      deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (node.node.connections() > 1 && System.nanoTime() < deadline) Thread.sleep(50);
      assertEquals(1, node.node.connections(), "every stalled reader was cut off; the publisher was not");
      // Each fan-out may overshoot by the message in hand until its reservation cuts someone off.
      assertTrue(mostQueued.get() <= BUDGET + (1L << 20),
          "queued output stayed within the budget: at most " + mostQueued.get() + " bytes");

      System.out.println(bounded + ": most output queued at once " + mostQueued.get() + " bytes (budget " + BUDGET + ")");
      // The node goes on serving: a new reader gets the stored events, the publisher can still publish.
      try (WsClient reader = WsClient.connectSkippingAuth(node.wsUrl())) {
        assertEquals(500, req(reader, "r", filter).size());
      }
      assertTrue(publish(publisher, EventSigner.sign(author, now(), 1, List.of(), "still here")).path(2).asBoolean());
    } finally {
      sampler.shutdownNow();
      stalled.forEach(RawWsClient::close);
    }
  }
}
