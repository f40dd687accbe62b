package archy.paidblobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.ecash.TestMint;
import archy.ecash.wallet.Wallet;
import archy.nostr.Keys;
import archy.paidblobs.client.FetchCommand;
import archy.store.Database;
import archy.store.Migrations;
import archy.testing.HlsFilm;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code archy fetch} of a whole film (issue 9 item 7): every blob verified into a Blossom HLS directory on one
 * payment, progress printed, a second run pays nothing, and a lost small playlist is fetched again on the session
 * the first run bought instead of costing a new sat.
 */
class FilmFetchTest {
  @TempDir Path dir;

  record Run(int code, String err) {}

  static Run fetch(String... args) {
    PrintStream saved = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      return new Run(new CommandLine(new FetchCommand()).execute(args), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(saved);
    }
  }

  @Test
  void aWholeFilmOnOnePaymentThenNothingMore() throws Exception {
    try (PaidNode a = PaidNode.start(dir.resolve("a"), "")) {
      HlsFilm film = HlsFilm.of(HlsFilm.Spec.DEFAULT.withTone(880));
      film.upload(a.blossom, Keys.generate());
      a.publish(film.event(a.publisher, "take-home", HlsFilm.Listing.MEDIA_SEGMENTS, 10L));
      String coordinate = "30082:" + a.publisher.publicKeyHex() + ":take-home";
      FilmNetworkTest.awaitListedGet(new archy.testing.BlossomCalls(a.url()), "/" + film.masterSha256() + ".m3u8");

      Path home = dir.resolve("client");
      Path config = a.clientConfig(home, 50);
      Wallet wallet;
      Database db = Database.open("sqlite", home.resolve("data"));
      Migrations.apply(db.dataSource(), db.dialect(), "ecash-gate", getClass().getClassLoader());
      wallet = Wallet.open(new archy.ecash.Db(db.dataSource(), db.dialect()), TestMint.mints(List.of(a.mint.url())),
          Clock.systemUTC());
      try {
        a.mint.fund(wallet, 100);
        long creditedBefore = a.totals().satsCredited();
        Path out = dir.resolve("film");

        Run first = fetch(coordinate, "--node", a.url(), "-o", out.toString(), "--config", config.toString());
        assertEquals(0, first.code(), first.err());
        for (HlsFilm.Blob blob : film.blobs()) {
          assertArrayEquals(blob.bytes(), Files.readAllBytes(out.resolve(blob.blossomName())), blob.blossomName());
        }
        assertTrue(first.err().contains(film.blobs().size() + "/" + film.blobs().size() + " blobs"), first.err());
        long paid = 100 - wallet.balance(a.mint.url());
        long expected = (film.sizeBytes() * 10 + 999_999) / 1_000_000 + 2;
        assertEquals(expected, paid, "one payment: the film's price at 10 sat/MB plus the fee margin");
        assertEquals(paid, a.totals().satsCredited() - creditedBefore);

        Run second = fetch(coordinate, "--node", a.url(), "-o", out.toString(), "--config", config.toString());
        assertEquals(0, second.code(), second.err());
        assertEquals(100 - paid, wallet.balance(a.mint.url()), "a second run pays nothing");

        // The small master playlist lost: fetched again on the session kept from the first run, not a new sat.
        Files.delete(out.resolve(film.master().blossomName()));
        Run third = fetch("http://" + a.url().substring("http://".length()) + "/" + film.masterSha256() + ".m3u8",
            "-o", out.toString(), "--config", config.toString());
        assertEquals(0, third.code(), third.err());
        assertArrayEquals(film.master().bytes(), Files.readAllBytes(out.resolve(film.master().blossomName())));
        assertEquals(100 - paid, wallet.balance(a.mint.url()), "the playlist came out of the session's credit");
      } finally {
        db.close();
      }
    }
  }
}
