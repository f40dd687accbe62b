package archy.paidblobs;

import static archy.paidblobs.PaidGetTest.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.testing.TestNode;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * From the logs alone an operator can tell that a blob was stored, a film indexed, a payment credited (amount
 * and scope, never the token) and a sync caught up; the metrics of the same story move too.
 */
class OperatorLogsTest {
  @TempDir
  Path dir;
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

  @BeforeEach
  void capture() {
    logs.start();
    root.addAppender(logs);
  }

  @AfterEach
  void release() {
    root.detachAppender(logs);
  }

  @Test
  void theLogsTellTheStoryOfAFilmAndItsPayment() throws Exception {
    try (PaidNode n = PaidNode.start(dir, "")) {
      PaidNode.Film film = n.film("logged", PaidNode.PRICE, 20_000);
      String segment = film.sha256(1);
      await("blob stored: sha256 " + segment + ", blake3 " + film.blake3(1) + ", 20000 bytes, video/mp2t");
      await("film indexed: \"Film logged\" (d=logged) by "
          + n.publisher.npub() + ", " + PaidNode.PRICE + " sat/MB, listed");

      double asked = paymentsRequired(get(n.url() + "/metrics"));
      HttpResponse<byte[]> ask = n.blossom.get("/" + segment);
      assertEquals(402, ask.statusCode());
      String token = n.mint.token(40).encode(); // 40,000 bytes: half stays in the session
      HttpResponse<byte[]> paid = n.blossom.get("/" + segment, "X-Cashu", token,
          "X-Archy-Session", header(ask, "X-Archy-Session"));
      assertEquals(200, paid.statusCode(), header(paid, "X-Reason"));
      String credited = await("payment credited: 40 sat from " + n.mint.url());
      assertTrue(credited.contains("for content-download scope 30082:" + n.publisher.publicKeyHex() + ":logged"),
          credited);
      assertTrue(credited.endsWith(", 40000 bytes"), credited);

      String metrics = get(n.url() + "/metrics");
      assertTrue(metrics.contains("archy_ecash_earned_sats_total{service=\"content-download\"} 40.0"), metrics);
      assertEquals(asked + 1, paymentsRequired(metrics), metrics);
      assertTrue(metrics.contains("archy_film_listed 1.0"), metrics);
      assertTrue(metrics.contains("archy_ecash_sessions_open 1.0"), metrics);

      try (TestNode mirror = TestNode.start(dir.resolve("mirror"), """
          [plugins]
          enabled = ["film-catalog"]
          [film-catalog]
          trusted_publishers = ["%s"]
          upstream_relays = ["%s"]
          """.formatted(n.publisher.publicKeyHex(), n.node.wsUrl()))) {
        await("film sync " + n.node.wsUrl() + ": caught up by NIP-77 negentropy (");
        String mirrored = get(mirror.httpUrl() + "/metrics");
        assertTrue(mirrored.contains("archy_film_sync_lag_seconds{upstream=\"" + n.node.wsUrl() + "\"} 0.0"), mirrored);
        assertTrue(mirrored.contains("archy_film_listed 1.0"), mirrored);
      }

      for (ILoggingEvent e : List.copyOf(logs.list)) {
        String line = e.getFormattedMessage();
        assertFalse(line.contains(token) || line.contains(header(ask, "X-Archy-Session")), "a secret was logged: " + line);
        assertFalse(line.contains("\u001b["), "ANSI codes in: " + line);
        assertFalse(Pattern.compile("\\b[A-Z][A-Za-z]+\\[[a-z]+=").matcher(line).find(), "a record's toString: " + line);
      }
    }
  }

  /** Polls the captured INFO lines (10 s at most) for one starting with {@code prefix}; returns it. */
  private String await(String prefix) throws InterruptedException {
    Predicate<ILoggingEvent> match = e -> e.getLevel() == ch.qos.logback.classic.Level.INFO
        && e.getFormattedMessage().startsWith(prefix);
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline) {
      for (ILoggingEvent e : List.copyOf(logs.list)) if (match.test(e)) return e.getFormattedMessage();
      Thread.sleep(20);
    }
    throw new AssertionError("no INFO line starting with: " + prefix + "\nlogged:\n"
        + String.join("\n", logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList()));
  }

  private static double paymentsRequired(String metrics) {
    var m = Pattern.compile("archy_blossom_payment_required_total\\{endpoint=\"get\"} (\\S+)").matcher(metrics);
    assertTrue(m.find(), metrics);
    return Double.parseDouble(m.group(1));
  }

  private static String get(String url) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }
}
