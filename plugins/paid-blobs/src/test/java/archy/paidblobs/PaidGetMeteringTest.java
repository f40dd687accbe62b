package archy.paidblobs;

import static archy.paidblobs.PaidGetTest.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.ecash.gate.Decision;
import archy.ecash.gate.PaymentGate;
import archy.ecash.request.PaymentRequest;
import archy.plugin.DeliveryMeter;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a paid session can take: slow GETs in flight together, one token sent on many requests at once, and
 * clients that reset in the middle of a body. Real sockets with small receive buffers hold the bodies in flight;
 * films are priced at 1 sat per MB, so a sat buys 10^6 bytes.
 */
class PaidGetMeteringTest {
  private static final String CD = PaymentGate.CONTENT_DOWNLOAD;
  private static final int BIG = 10_000_000;

  @TempDir static Path dir;
  static PaidNode n;

  @BeforeAll
  static void start() throws Exception {
    n = PaidNode.start(dir, "");
  }

  @AfterAll
  static void stop() throws Exception {
    if (n != null) n.close();
  }

  @Test
  void parallelSlowGetsOfOneSessionNeverSpendMoreThanItPaid() throws Exception {
    PaidNode.Film film = n.film("parallel", 1L, BIG);
    String path = "/" + film.sha256(1);
    String session = pay(film, 25);
    long paid = settledBalance(session, film);
    assertEquals(25_000_000 - 1, paid, "25 sat bought 25 MB; the paying GET took one byte");

    List<RawGet> gets = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      gets.add(i % 2 == 0 ? RawGet.send(n.url(), path, "X-Archy-Session", session)
          : RawGet.send(n.url(), path, "X-Archy-Session", session, "Range", "bytes=1000000-3999999"));
    }
    for (RawGet g : gets) g.head(); // every GET is answered while no body can have finished
    long served = 0;
    int ok = 0;
    for (RawGet g : gets) {
      try (g) {
        if (g.status == 200 || g.status == 206) {
          served += g.read(Long.MAX_VALUE);
          assertEquals(g.contentLength(), g.received, "a served body is whole");
          ok++;
        } else {
          assertEquals(402, g.status, g.header("X-Reason"));
          assertTrue(PaymentRequest.decode(g.header("X-Cashu")).amount() >= 1);
        }
      }
    }
    assertTrue(served <= paid, "served " + served + " bytes on " + paid + " paid");
    assertTrue(ok >= 2, "what was paid for is served: " + ok + " GETs");
    assertEquals(paid - served, settledBalance(session, film), "debited exactly what went out");
  }

  @Test
  void oneTokenSentOnParallelGetsPaysOnce() throws Exception {
    PaidNode.Film film = n.film("one-token", 1L, BIG);
    String path = "/" + film.sha256(1);
    String session = header(n.blossom.get(path, "Range", "bytes=0-0"), "X-Archy-Session");
    String token = n.mint.token(25).encode();
    List<RawGet> gets = new ArrayList<>();
    for (int i = 0; i < 20; i++) gets.add(RawGet.send(n.url(), path, "X-Cashu", token, "X-Archy-Session", session));
    for (RawGet g : gets) g.head();
    long served = 0;
    for (RawGet g : gets) {
      try (g) {
        assertTrue(g.status == 200 || g.status == 402 || g.status == 409, g.status + " " + g.header("X-Reason"));
        if (g.status == 200) served += g.read(Long.MAX_VALUE);
      }
    }
    assertTrue(served >= BIG, "the token pays for two of these GETs");
    assertTrue(served <= 25_000_000, "served " + served + " bytes for one 25 sat token");
    assertEquals(25_000_000 - served, settledBalance(session, film));
  }

  @Test
  void clientsThatResetMidBodyPayForEveryChunkTheyWereHanded() throws Exception {
    PaidNode.Film film = n.film("aborted", 1L, 24_000_000);
    String path = "/" + film.sha256(1);
    String session = pay(film, 200);
    long before = settledBalance(session, film);
    long received = 0;
    int gets = 12;
    long range = 16_000_000;
    for (int i = 0; i < gets; i++) {
      long first = i * 500_000L;
      RawGet g = RawGet.send(n.url(), path, "X-Archy-Session", session,
          "Range", "bytes=" + first + "-" + (first + range - 1));
      assertEquals(206, g.head().status, g.header("X-Reason"));
      received += g.read(3_000_000 + i * 137_000L); // inside the first mapped region: never a whole one
      g.reset();
    }
    long debited = before - settledBalance(session, film);
    assertTrue(debited >= received, "debited " + debited + " bytes for " + received + " received");
    // What the kernel's send buffer took on top of what the client read, plus one chunk, per GET.
    long slack = gets * (6L << 20);
    assertTrue(debited <= received + slack, "debited " + debited + " for " + received + ": not the whole ranges");
    assertTrue(DeliveryMeter.CHUNK <= 1 << 20, "a reset costs the client at most a small chunk it never got");
  }

  /** A new session paid with {@code sats}, through a one-byte range GET. */
  private static String pay(PaidNode.Film film, long sats) throws Exception {
    String path = "/" + film.sha256(1);
    String session = header(n.blossom.get(path, "Range", "bytes=0-0"), "X-Archy-Session");
    HttpResponse<byte[]> paid = n.blossom.get(path, "Range", "bytes=0-0", "X-Archy-Session", session,
        "X-Cashu", n.mint.token(sats).encode());
    assertEquals(206, paid.statusCode(), header(paid, "X-Reason"));
    return session;
  }

  /** The balance once every response of the session has settled its reservation. */
  static long settledBalance(String session, PaidNode.Film film) throws Exception {
    PaymentGate gate = PaidProbePlugin.gate;
    long deadline = System.currentTimeMillis() + 30_000;
    while (true) {
      long balance = gate.balance(session, CD, film.coordinate());
      long available = gate.authorize(session, CD, film.coordinate(), 0) instanceof Decision.Allowed a ? a.balance()
          : balance - 1;
      if (available == balance) return balance;
      if (System.currentTimeMillis() > deadline) throw new AssertionError("reservations never settled: " + balance
          + " held, " + available + " available");
      Thread.sleep(20);
    }
  }
}
