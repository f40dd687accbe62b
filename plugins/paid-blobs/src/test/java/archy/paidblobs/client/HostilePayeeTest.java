package archy.paidblobs.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.ecash.TestMint;
import archy.ecash.request.PaymentRequest;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The payer against a hostile server (issue 12): one that takes every token and answers 402 again, each time with a
 * request id of its own choosing. The interval between payments is the client's (per host), and the caps are
 * reserved before a token is made, so neither a fresh id nor parallel fetches get past them.
 */
class HostilePayeeTest {
  private static final String BLOB = "ab".repeat(32);

  @TempDir Path dir;
  private TestMint mint;
  private HttpServer server;
  private final AtomicInteger tokensTaken = new AtomicInteger();

  @BeforeEach
  void start() throws Exception {
    mint = TestMint.start("hostile-payee", dir.resolve("payer"));
    mint.fund(mint.payer(), 1_000);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", ex -> {
      try (ex) {
        if (ex.getRequestHeaders().getFirst(AutoPayClient.CASHU) != null) tokensTaken.incrementAndGet();
        PaymentRequest r = PaymentRequest.inBand(UUID.randomUUID().toString(), 10, "sat", List.of(mint.url()));
        ex.getResponseHeaders().set(AutoPayClient.CASHU, r.encodeA());
        ex.sendResponseHeaders(402, -1);
      }
    });
    server.start();
  }

  @AfterEach
  void stop() throws Exception {
    server.stop(0);
    mint.close();
  }

  private BlobTarget target() {
    return BlobTarget.parse(BLOB, "http://127.0.0.1:" + server.getAddress().getPort());
  }

  private static AutoPayConfig caps(long perHostPerDay, Duration interval) {
    return new AutoPayConfig(100, perHostPerDay, 5_000, interval, 0, Long.MAX_VALUE, List.of(), 1);
  }

  @Test
  void aFreshRequestIdPerPaymentDoesNotDodgeTheInterval() throws Exception {
    AutoPayClient client = new AutoPayClient(HttpClient.newHttpClient(), new WalletTokens(mint.payer()),
        caps(1_000, Duration.ofMinutes(10)), Clock.systemUTC());
    assertThrows(PaymentRefusedException.class, () -> client.fetch(target(), dir.resolve("a")), "paid, then 402");
    PaymentRefusedException again = assertThrows(PaymentRefusedException.class,
        () -> client.fetch(target(), dir.resolve("b")));
    assertTrue(again.getMessage().contains("not again within"), again.getMessage());
    assertEquals(1, tokensTaken.get(), "one token left the wallet, not one per request id");
    assertEquals(10, client.spentToday());
  }

  @Test
  void parallelPaymentsCannotTogetherPassTheCap() throws Exception {
    CountDownLatch bothChecked = new CountDownLatch(2);
    TokenSource slowWallet = (mints, sats) -> {
      bothChecked.countDown(); // holds each payer between the cap check and the payment until the other arrives
      bothChecked.await(3, TimeUnit.SECONDS);
      return new WalletTokens(mint.payer()).token(mints, sats);
    };
    AutoPayClient client = new AutoPayClient(HttpClient.newHttpClient(), slowWallet, caps(15, Duration.ZERO),
        Clock.systemUTC());
    ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    List<Future<?>> runs = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Path out = dir.resolve("p" + i);
      runs.add(pool.submit(() -> {
        try {
          client.fetch(target(), out);
        } catch (PaymentRefusedException expected) {
          // refused by the cap, or paid and answered 402 again
        }
        return null;
      }));
    }
    for (Future<?> f : runs) f.get(60, TimeUnit.SECONDS);
    pool.shutdown();
    assertEquals(1, tokensTaken.get(), "10 + 10 sat would pass the cap of 15 per host");
    assertEquals(10, client.spentToday());
  }
}
