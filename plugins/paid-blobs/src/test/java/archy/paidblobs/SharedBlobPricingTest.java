package archy.paidblobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import archy.ecash.gate.PaymentGate;
import archy.ecash.request.PaymentRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A blob in several films (issue 9 item 4, issue 10 item 12): free when any listed film holding it is free; else
 * a request with a session of one of those films pays in that film; else the cheapest film sets price and scope.
 */
class SharedBlobPricingTest {
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

  static String header(HttpResponse<?> r, String name) {
    return r.headers().firstValue(name).orElse("");
  }

  @Test
  void aBlobSharedWithAFreeFilmIsFree() throws Exception {
    byte[] shared = PaidNode.random(20_000);
    byte[] own = PaidNode.random(20_000);
    PaidNode.Film paid = n.film("feature", PaidNode.PRICE, List.of(shared, own));
    n.film("free-cut", null, List.of(shared));
    HttpResponse<byte[]> r = n.blossom.get("/" + paid.sha256(1));
    assertEquals(200, r.statusCode(), header(r, "X-Reason"));
    assertArrayEquals(shared, r.body());
    assertEquals(402, n.blossom.get("/" + paid.sha256(2)).statusCode(), "the feature's own segment stays paid");
  }

  @Test
  void aViewerPaysInTheFilmOfItsSessionAndANewViewerAtTheCheapestPrice() throws Exception {
    byte[] shared = PaidNode.random(20_000);
    byte[] own = PaidNode.random(10_000);
    PaidNode.Film feature = n.film("main-feature", PaidNode.PRICE, List.of(own, shared));
    PaidNode.Film trailer = n.film("trailer", 10L, List.of(shared)); // newer and far cheaper

    HttpResponse<byte[]> stranger = n.blossom.get("/" + feature.sha256(2));
    assertEquals(402, stranger.statusCode());
    PaymentRequest cheapest = PaymentRequest.decode(header(stranger, "X-Cashu"));
    assertEquals(1L, cheapest.amount(), "20,000 bytes at the trailer's 10 sat/MB, rounded up to 1 sat");

    // A viewer of the feature buys 40 sat (40,000 bytes) with the feature's own segment...
    HttpResponse<byte[]> ask = n.blossom.get("/" + feature.sha256(1));
    String session = header(ask, "X-Archy-Session");
    HttpResponse<byte[]> paid = n.blossom.get("/" + feature.sha256(1), "X-Cashu", n.mint.token(40).encode(),
        "X-Archy-Session", session);
    assertEquals(200, paid.statusCode(), header(paid, "X-Reason"));
    PaidGetTest.awaitBalance(session, feature, 30_000);
    // ...and the shared segment is served on that session, debited in the feature's scope, not asked again.
    HttpResponse<byte[]> sharedGet = n.blossom.get("/" + feature.sha256(2), "X-Archy-Session", session);
    assertEquals(200, sharedGet.statusCode(), header(sharedGet, "X-Reason"));
    assertArrayEquals(shared, sharedGet.body());
    PaidGetTest.awaitBalance(session, feature, 10_000);
    assertEquals(0, PaidProbePlugin.gates.get(n.node.node.keys().publicKeyHex())
        .balance(session, PaymentGate.CONTENT_DOWNLOAD, trailer.coordinate()));
  }

  /** Issue 10 item 4: the playlists name the segments, so a priced film that lists none still charges for them. */
  @Test
  void aPricedFilmThatOmitsItsSegmentsStillChargesForThem() throws Exception {
    byte[] segment = PaidNode.random(12_000);
    String sha = archy.testing.BlossomCalls.sha256(segment);
    byte[] playlist = ("#EXTM3U\n#EXTINF:4.0,\n" + sha + ".ts\n#EXT-X-ENDLIST\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    for (byte[] blob : List.of(playlist, segment)) {
      int status = n.blossom.upload(archy.nostr.Keys.generate(), blob, null).statusCode();
      org.junit.jupiter.api.Assertions.assertTrue(status < 300, "upload " + status);
    }
    var content = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("title", "Terse")
        .put("duration_s", 4).put("playlist", "blake3:" + archy.hash.Blake3.hex(playlist));
    content.putObject("monetized").put("service", "content-download").put("sats_per_mb", PaidNode.PRICE);
    n.publish(archy.nostr.EventSigner.sign(n.publisher, System.currentTimeMillis() / 1000, 30082, List.of(
        List.of("d", "terse"), List.of("title", "Terse"), List.of("x", archy.testing.BlossomCalls.sha256(playlist)),
        List.of("price", Long.toString(PaidNode.PRICE), "sat")), content.toString()));
    long deadline = System.currentTimeMillis() + 10_000;
    HttpResponse<byte[]> r = n.blossom.get("/" + sha + ".ts");
    while (r.statusCode() == 200 && System.currentTimeMillis() < deadline) { // until the playlist has been read
      Thread.sleep(50);
      r = n.blossom.get("/" + sha + ".ts");
    }
    assertEquals(402, r.statusCode(), "the segment named only by the playlist is priced with its film");
    assertEquals(12L, PaymentRequest.decode(header(r, "X-Cashu")).amount(), "12,000 bytes at 1000 sat/MB");
  }

  @Test
  void aMonetizedFilmWithNoMintIsServedFreeRatherThanAskingForAnUnpayablePayment() throws Exception {
    try (PaidNode noMints = PaidNode.start(dir.resolve("no-mints"), "")) {
      noMints.node.close();
      noMints.node = archy.testing.TestNode.start(dir.resolve("no-mints").resolve("node2"), """
          [plugins]
          enabled = ["ecash-gate", "film-catalog", "paid-blobs", "paid-probe"]
          [ecash-gate]
          mints = []
          [film-catalog]
          trusted_publishers = ["%s"]
          """.formatted(noMints.publisher.publicKeyHex()));
      noMints.blossom = new archy.testing.BlossomCalls(noMints.node.httpUrl());
      PaidNode.Film film = noMints.film("unpayable", PaidNode.PRICE, 5_000);
      HttpResponse<byte[]> r = noMints.blossom.get("/" + film.sha256(1));
      assertEquals(200, r.statusCode(), "no 402 without a mint to pay at");
      assertArrayEquals(film.segments().get(0), r.body());
    }
  }
}
