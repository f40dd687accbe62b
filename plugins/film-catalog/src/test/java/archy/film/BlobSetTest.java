package archy.film;

import static archy.film.CatalogNode.list;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.nostr.Keys;
import archy.testing.BlossomCalls;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A film's blob set comes from its playlists (PROTOCOLS.md §1, §2.1): a node that knows only the master's sha256
 * learns every variant playlist and segment by reading them, and serves them by sha256 through fetch-through.
 */
class BlobSetTest {
  @TempDir Path dirA;
  @TempDir Path dirB;
  final Keys publisher = Keys.generate();

  /** master → two variants → three segments each, in Blossom HLS formatting, with made-up segment bytes. */
  record Ladder(byte[] master, List<byte[]> variants, List<byte[]> segments) {
    static Ladder make(String seed) {
      List<byte[]> segments = new ArrayList<>();
      List<byte[]> variants = new ArrayList<>();
      StringBuilder master = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:3\n");
      for (int v = 0; v < 2; v++) {
        StringBuilder variant = new StringBuilder("#EXTM3U\n#EXT-X-TARGETDURATION:4\n");
        for (int s = 0; s < 3; s++) {
          byte[] segment = ("segment " + v + "/" + s + " " + seed).getBytes(StandardCharsets.UTF_8);
          segments.add(segment);
          variant.append("#EXTINF:4.0,\n").append(Films.sha256(segment)).append(".ts\n");
        }
        byte[] bytes = variant.append("#EXT-X-ENDLIST\n").toString().getBytes(StandardCharsets.UTF_8);
        variants.add(bytes);
        master.append("#EXT-X-STREAM-INF:BANDWIDTH=").append(400_000 * (v + 1)).append('\n')
            .append(Films.sha256(bytes)).append(".m3u8\n");
      }
      return new Ladder(master.toString().getBytes(StandardCharsets.UTF_8), variants, segments);
    }

    List<byte[]> all() {
      List<byte[]> out = new ArrayList<>(List.of(master));
      out.addAll(variants);
      out.addAll(segments);
      return out;
    }
  }

  String config(String... origins) {
    return "trusted_publishers = " + list(publisher.publicKeyHex()) + "\norigin_servers = " + list(origins)
        + "\nfetch_allow_private = true";
  }

  static archy.nostr.Event event(Keys publisher, String d, Ladder ladder, boolean listSegments) {
    var content = Films.JSON.createObjectNode().put("title", "Ladder " + d).put("duration_s", 12)
        .put("playlist", "blake3:" + Films.blake3(ladder.master()));
    if (listSegments) {
      var refs = content.putArray("segments");
      for (byte[] s : ladder.segments()) refs.add("blake3:" + Films.blake3(s));
    }
    List<List<String>> tags = List.of(List.of("d", d), List.of("title", "Ladder " + d),
        List.of("x", Films.sha256(ladder.master())));
    return archy.nostr.EventSigner.sign(publisher, System.currentTimeMillis() / 1000, 30082, tags, content.toString());
  }

  @Test
  void aColdNodeLearnsVariantsAndSegmentsFromThePlaylistsAndServesThemBySha256() throws Exception {
    Ladder ladder = Ladder.make(Long.toString(System.nanoTime()));
    try (CatalogNode a = CatalogNode.start(dirA, config(), "")) {
      BlossomCalls onA = new BlossomCalls(a.httpUrl());
      for (byte[] blob : ladder.all()) FetchThroughTest.assertOk(onA.upload(publisher, blob, null));
      archy.nostr.Event film = event(publisher, "ladder", ladder, false);
      a.accept(film);
      JsonNode onAPage = a.awaitCatalog("", p -> p.path("films").path(0).path("availability").path("playlists")
          .asText().equals("read"));
      assertEquals(9, onAPage.path("films").path(0).path("availability").path("total").asInt(),
          "master, 2 variants, 6 segments, though the event lists none");
      assertEquals(9, onAPage.path("films").path(0).path("availability").path("local").asInt());

      try (CatalogNode b = CatalogNode.start(dirB, config(a.httpUrl()), "")) {
        b.accept(film);
        JsonNode page = b.awaitCatalog("", p -> p.path("films").path(0).path("availability").path("playlists")
            .asText().equals("read"));
        assertEquals(9, page.path("films").path(0).path("availability").path("total").asInt());
        BlossomCalls onB = new BlossomCalls(b.httpUrl());
        FetchThroughTest.assertServes(onB, "/" + Films.sha256(ladder.master()) + ".m3u8", ladder.master());
        for (byte[] v : ladder.variants()) FetchThroughTest.assertServes(onB, "/" + Films.sha256(v) + ".m3u8", v);
        for (byte[] s : ladder.segments()) FetchThroughTest.assertServes(onB, "/" + Films.sha256(s) + ".ts", s);
        assertEquals(9, b.catalog("").path("films").path(0).path("availability").path("local").asInt());
        // Learnt by fetching: the BLAKE3 of a segment named only by sha256 now finds the film too.
        assertEquals(1, b.service().filmsWithBlob(Films.blake3(ladder.segments().get(4))).size());
        assertEquals(404, onB.get("/" + Films.sha256("not in the film".getBytes(StandardCharsets.UTF_8))).statusCode());
      }
    }
  }

  @Test
  void aMalformedPlaylistIsReportedAndTheFilmStaysListed() throws Exception {
    byte[] bad = "#EXTM3U\n#EXTINF:4,\nsegment-0.ts\n".getBytes(StandardCharsets.UTF_8);
    try (CatalogNode a = CatalogNode.start(dirA, config(), "")) {
      FetchThroughTest.assertOk(new BlossomCalls(a.httpUrl()).upload(publisher, bad, null));
      var content = Films.JSON.createObjectNode().put("title", "Bad").put("duration_s", 4)
          .put("playlist", "blake3:" + Films.blake3(bad));
      a.accept(archy.nostr.EventSigner.sign(publisher, System.currentTimeMillis() / 1000, 30082,
          List.of(List.of("d", "bad"), List.of("title", "Bad"), List.of("x", Films.sha256(bad))), content.toString()));
      JsonNode availability = a.awaitCatalog("", p -> p.path("films").path(0).path("availability").path("playlists")
          .asText().equals("malformed")).path("films").path(0).path("availability");
      assertTrue(availability.path("playlists_detail").asText().contains("not named by its sha256"),
          availability.toString());
      assertEquals(1, availability.path("total").asInt());
    }
  }
}
