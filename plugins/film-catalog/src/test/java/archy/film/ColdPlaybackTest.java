package archy.film;

import static archy.film.CatalogNode.list;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.nostr.Keys;
import archy.testing.BlossomCalls;
import archy.testing.BrowserPlayer;
import archy.testing.HlsFilm;
import archy.testing.HlsFilm.Listing;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PROTOCOLS.md §1 on a second node (issue 9): a real ffmpeg film with two renditions (master → variants →
 * segments) is held by node A only; cold node B, which learns the film by syncing from A, plays the master by
 * sha256 with hls.js in headless Chromium past 3 s, whether the event lists every blob, only the media segments,
 * or no segments at all (the playlists are authoritative).
 */
class ColdPlaybackTest {
  @TempDir static Path dir;
  static final Keys publisher = Keys.generate();
  static CatalogNode a;
  static CatalogNode b;

  @BeforeAll
  static void start() throws Exception {
    String trust = "trusted_publishers = " + list(publisher.publicKeyHex()) + "\nadvertise = false";
    a = CatalogNode.start(dir.resolve("a"), trust, "");
    b = CatalogNode.start(dir.resolve("b"), trust + "\norigin_servers = " + list(a.httpUrl())
        + "\nupstream_relays = " + list(a.wsUrl()) + "\nfetch_allow_private = true", "");
  }

  @AfterAll
  static void stop() {
    if (b != null) b.close();
    if (a != null) a.close();
  }

  /** A film of its own bytes (tone), on A only, published to A; B must sync it and play it cold. */
  static void playsColdOnB(String d, int toneHz, Listing listing) throws Exception {
    HlsFilm film = HlsFilm.of(HlsFilm.Spec.DEFAULT.withTone(toneHz));
    film.upload(new BlossomCalls(a.httpUrl()), publisher);
    a.accept(film.event(publisher, d, listing, null));
    b.awaitCatalog("", p -> CatalogNode.ds(p).contains(d));
    BrowserPlayer.Result played = BrowserPlayer.play(film.masterUrl(b.httpUrl()));
    assertTrue(played.played(), played.describe());
  }

  @Test
  void everyBlobListed() throws Exception {
    playsColdOnB("all-listed", 440, Listing.ALL_BLOBS);
  }

  @Test
  void onlyMediaSegmentsListed() throws Exception {
    playsColdOnB("media-listed", 523, Listing.MEDIA_SEGMENTS);
  }

  @Test
  void segmentsOmitted() throws Exception {
    playsColdOnB("omitted", 659, Listing.OMITTED);
  }
}
