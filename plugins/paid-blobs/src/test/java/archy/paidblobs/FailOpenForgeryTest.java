package archy.paidblobs;

import static archy.paidblobs.PaidGetTest.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.ecash.token.Proof;
import archy.ecash.token.Token;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The adversarial run's forgery over HTTP: with the mint down, fail_open (the default) must not serve it. */
class FailOpenForgeryTest {
  @TempDir Path dir;

  @Test
  void aForgedTokenIsNotServedWhileTheMintIsDown() throws Exception {
    try (PaidNode n = PaidNode.start(dir, "")) {
      PaidNode.Film film = n.film("forged", 1L, 2_000_000);
      String path = "/" + film.sha256(1);
      Token real = n.mint.token(3);
      String honest = header(n.blossom.get(path), "X-Archy-Session");
      assertEquals(200, n.blossom.get(path, "X-Cashu", real.encode(), "X-Archy-Session", honest).statusCode(),
          "a real payment first: the node now knows the mint's keysets and keys");
      n.mint.mint.close();

      String generator = "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798";
      List<Proof> proofs = new ArrayList<>();
      for (int i = 0; i < 16; i++) proofs.add(new Proof(1L << 31, real.proofs().get(0).id(), "forged-" + i, generator));
      String forged = new Token(n.mint.url(), "sat", null, proofs).encode();
      String session = header(n.blossom.get(path), "X-Archy-Session");
      HttpResponse<byte[]> r = n.blossom.get(path, "X-Cashu", forged, "X-Archy-Session", session);
      assertEquals(503, r.statusCode(), header(r, "X-Reason"));
      assertTrue(header(r, "X-Reason").contains("cannot be checked offline"), header(r, "X-Reason"));
      assertEquals(402, n.blossom.get(path, "X-Archy-Session", session).statusCode(), "no credit was granted");
      assertEquals(0, n.totals().bytesDeferred());
    }
  }
}
