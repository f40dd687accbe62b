package archy.paidblobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import archy.ecash.gate.PaymentGate;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A session survives a restart of the node in its middle (PROTOCOLS.md §4.1): the balance is in the database. */
class RestartTest {
  @TempDir Path dir;

  @Test
  void aSessionKeepsItsBalanceAcrossARestart() throws Exception {
    try (PaidNode n = PaidNode.start(dir, "")) {
      PaidNode.Film film = n.film("restart", PaidNode.PRICE, 6_000, 6_000);
      String session = PaidGetTest.header(n.blossom.get("/" + film.sha256(1)), "X-Archy-Session");
      HttpResponse<byte[]> first = n.blossom.get("/" + film.sha256(1), "X-Cashu", n.mint.token(12).encode(),
          "X-Archy-Session", session);
      assertEquals(200, first.statusCode());
      PaidGetTest.awaitBalance(session, film, 6_000);

      n.restart();
      assertEquals(6_000, PaidProbePlugin.gate.balance(session, PaymentGate.CONTENT_DOWNLOAD, film.coordinate()));
      HttpResponse<byte[]> second = n.blossom.get("/" + film.sha256(2), "X-Archy-Session", session);
      assertEquals(200, second.statusCode(), "paid before the restart");
      assertArrayEquals(film.segments().get(1), second.body());
      assertEquals(402, n.blossom.get("/" + film.sha256(1), "X-Archy-Session", session).statusCode(), "spent");
    }
  }
}
