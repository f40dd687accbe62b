package archy.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import archy.testing.TestNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-address limit holds exactly when many clients connect at the same instant. */
class ConnectionLimitRaceTest {
  private static final int LIMIT = 10;
  private static final int CLIENTS = 60;

  @TempDir Path dir;

  @Test
  void concurrentConnectsNeverExceedTheLimit() throws Exception {
    try (TestNode node = TestNode.start(dir, "[relay]\nmax_connections_per_ip = " + LIMIT + "\n")) {
      HttpClient http = HttpClient.newHttpClient();
      List<WebSocket> sockets = new ArrayList<>();
      ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
      try {
        for (int round = 0; round < 5; round++) {
          CountDownLatch go = new CountDownLatch(1);
          List<Future<WebSocket>> attempts = new ArrayList<>();
          for (int i = 0; i < CLIENTS; i++) {
            attempts.add(pool.submit(() -> {
              go.await();
              CompletableFuture<WebSocket> ws = http.newWebSocketBuilder()
                  .buildAsync(URI.create(node.wsUrl()), new WebSocket.Listener() {});
              try {
                return ws.get(30, TimeUnit.SECONDS);
              } catch (Exception refused) {
                return null; // 429 before the upgrade
              }
            }));
          }
          go.countDown();
          for (Future<WebSocket> attempt : attempts) {
            WebSocket ws = attempt.get(60, TimeUnit.SECONDS);
            if (ws != null) sockets.add(ws);
          }
          // Upgraded connections over the limit are closed at once; give the closes time to land.
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
          while (node.node.connections() > LIMIT && System.nanoTime() < deadline) Thread.sleep(20);
          assertEquals(LIMIT, node.node.connections(), "round " + round + ": open connections from one address");
          for (WebSocket ws : sockets) ws.abort();
          sockets.clear();
          deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
          while (node.node.connections() > 0 && System.nanoTime() < deadline) Thread.sleep(20);
          assertEquals(0, node.node.connections());
        }
      } finally {
        sockets.forEach(WebSocket::abort);
        pool.shutdownNow();
      }
    }
  }
}
