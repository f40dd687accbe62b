package archy.film.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.film.hls.HlsPlaylist;
import archy.film.publish.PublishRuns.Run;
import archy.nostr.Keys;
import archy.server.ArchyNode;
import archy.testing.BlossomCalls;
import archy.testing.HlsFilm;
import archy.testing.TestNode;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code archy film publish} end to end (issue 15): a 20 s ffmpeg video (testsrc + sine) against a real node whose
 * own key (its data dir's node.key, the default publisher) is trusted. Every blob must be on the node, the 30082
 * listed with its playlists read and every blob local; a second run uploads nothing and republishes the same d; a
 * run after a blob went missing uploads only that blob; list, show and unpublish work on the same film.
 */
class FilmPublishTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dir;
  static Keys nodeKey = Keys.generate();
  static ArchyNode node;
  static String base;
  static Path video;

  @BeforeAll
  static void start() throws Exception {
    int port = TestNode.freePort();
    node = PublishRuns.node(dir.resolve("node"), nodeKey, port, "\"film-catalog\"", "");
    base = "http://127.0.0.1:" + port;
    video = PublishRuns.video(dir.resolve("Test Film.mp4"), "testsrc", 20, 440);
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  static Run film(String... args) {
    return PublishRuns.film(base, dir.resolve("node"), args);
  }

  static Run publish() {
    return film("publish", video.toString(), "--title", "Test Pattern", "--summary", "bars and a tone",
        "--genre", "Documentary", "--genre", "test", "--preset", "ultrafast");
  }

  static JsonNode catalogEntry(String d, Predicate<JsonNode> until) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = FilmListCommands.catalogEntry(NodeOptions.http(), URI.create(base), nodeKey.publicKeyHex(), d,
          "Test Pattern");
      if (last != null && until.test(last)) return last;
      Thread.sleep(50);
    }
    throw new AssertionError("catalog entry of " + d + " never matched; last: " + last);
  }

  @Test
  void publishesResumesListsAndUnpublishes() throws Exception {
    Run first = publish();
    assertEquals(0, first.exit(), first.err());
    String d = first.out().get(0);
    assertEquals("30082:" + nodeKey.publicKeyHex() + ":" + d, first.out().get(1));
    assertTrue(d.startsWith("test-film-"), d);
    assertTrue(first.err().contains("transcode"), first.err());

    // Every blob the playlists name is on the node, byte-exact under its sha256, and the poster by BLAKE3.
    BlossomCalls blossom = new BlossomCalls(base);
    String master = first.out().get(2).substring(base.length() + 1).replace(".m3u8", "");
    List<String> blobs = new ArrayList<>();
    HlsPlaylist top = HlsPlaylist.parse(blossom.get("/" + master + ".m3u8").body());
    assertTrue(top.master());
    assertEquals(2, top.children(HlsPlaylist.Role.PLAYLIST).size(), "default ladder is 360p and 720p");
    for (HlsPlaylist.Child variant : top.children()) {
      byte[] bytes = blossom.get("/" + variant.sha256() + variant.extension()).body();
      assertEquals(variant.sha256(), BlossomCalls.sha256(bytes));
      HlsPlaylist media = HlsPlaylist.parse(bytes);
      for (HlsPlaylist.Child segment : media.children()) {
        blobs.add(segment.sha256());
        assertEquals(200, blossom.head("/" + segment.sha256() + segment.extension()).statusCode());
      }
    }
    // 20 s in 6 s segments: 4 segments per rung.
    assertEquals(8, blobs.size(), "segments " + blobs);

    JsonNode entry = catalogEntry(d, e -> e.path("availability").path("playlists").asText().equals("read"));
    JsonNode availability = entry.path("availability");
    assertEquals(availability.path("total").asInt(), availability.path("local").asInt(), availability.toString());
    assertEquals(12, availability.path("total").asInt(), "master, 2 variants, 8 segments, poster: " + availability);
    assertEquals(20, entry.path("duration_s").asInt());
    assertEquals("bars and a tone", entry.path("summary").asText());
    assertEquals(List.of("documentary", "test"), JSON.convertValue(entry.path("genres"), List.class));
    String poster = entry.path("poster").asText().substring("blake3:".length());
    HttpResponse<byte[]> image = blossom.get("/b3/" + poster);
    assertEquals(200, image.statusCode());
    assertEquals((byte) 0xFF, image.body()[0], "a JPEG poster");

    // A second run transcodes nothing, uploads nothing, and publishes the same film.
    Run second = publish();
    assertEquals(0, second.exit(), second.err());
    assertEquals(d, second.out().get(0));
    assertTrue(second.err().contains("kept from an earlier run"), second.err());
    assertTrue(second.err().contains("uploaded 0 blobs"), second.err());

    // A blob lost (as after a failed upload) is the only one a third run sends.
    HttpResponse<String> deleted = blossom.delete(nodeKey, blobs.get(3));
    assertTrue(deleted.statusCode() / 100 == 2, deleted.body());
    assertEquals(404, blossom.head("/" + blobs.get(3)).statusCode());
    Run third = publish();
    assertEquals(0, third.exit(), third.err());
    assertTrue(third.err().contains("uploaded 1 blobs"), third.err());
    assertEquals(200, blossom.head("/" + blobs.get(3)).statusCode());

    Run list = film("list");
    assertEquals(0, list.exit(), list.err());
    assertEquals(1, list.out().size(), list.out().toString());
    assertTrue(list.out().get(0).startsWith(d + "\tTest Pattern\t"), list.out().get(0));
    Run show = film("show", d);
    assertEquals(0, show.exit(), show.err());
    assertTrue(String.join("\n", show.out()).contains("catalog: listed"), show.out().toString());

    Run gone = film("unpublish", d);
    assertEquals(0, gone.exit(), gone.err());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (FilmListCommands.catalogEntry(NodeOptions.http(), URI.create(base), nodeKey.publicKeyHex(), d,
        "Test Pattern") != null) {
      assertTrue(System.nanoTime() < deadline, "unpublished film still listed");
      Thread.sleep(50);
    }
    assertEquals(1, film("show", d).exit());
  }

  /**
   * An HLS folder with plain file names (ffmpeg's own output) is rewritten exactly as the test films' independent
   * helper rewrites it: the same master sha256, so the same bytes for every playlist.
   */
  @Test
  void publishesAnHlsFolder() throws Exception {
    HlsFilm film = HlsFilm.of(HlsFilm.Spec.DEFAULT.withTone(880));
    Run run = film("publish", film.folder().resolve("ffmpeg").toString(), "--title", "Folder Film", "--d", "folder");
    assertEquals(0, run.exit(), run.err());
    assertEquals("folder", run.out().get(0));
    assertEquals(film.masterUrl(base), run.out().get(2));
    for (HlsFilm.Blob b : film.blobs()) {
      assertEquals(200, new BlossomCalls(base).head(b.path()).statusCode(), b.path());
    }
  }

  @Test
  void badInputIsAClearError() {
    Run missing = film("publish", dir.resolve("nope.mp4").toString(), "--title", "x");
    assertEquals(1, missing.exit());
    assertTrue(missing.err().contains("does not exist"), missing.err());
    Run badKey = film("publish", video.toString(), "--title", "x", "--key", video.toString());
    assertEquals(1, badKey.exit());
    assertFalse(badKey.err().isEmpty());
    assertNotNull(badKey.err());
  }
}
