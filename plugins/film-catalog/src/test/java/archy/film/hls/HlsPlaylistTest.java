package archy.film.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.film.hls.HlsPlaylist.Child;
import archy.film.hls.HlsPlaylist.MalformedPlaylistException;
import archy.film.hls.HlsPlaylist.Role;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Blossom-formatted HLS playlists: what a film's blob set is learnt from. */
class HlsPlaylistTest {
  static final String A = "a".repeat(64), B = "b".repeat(64), C = "c".repeat(64), D = "d".repeat(64),
      E = "e".repeat(64), F = "f".repeat(64);

  static HlsPlaylist parse(String text) throws MalformedPlaylistException {
    return HlsPlaylist.parse(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void masterPlaylistNamesItsVariantsAndRenditions() throws Exception {
    HlsPlaylist master = parse("""
        #EXTM3U
        #EXT-X-VERSION:3
        #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",NAME="en",URI="%s.m3u8"
        #EXT-X-STREAM-INF:BANDWIDTH=800000,RESOLUTION=640x360,AUDIO="aud"
        %s.m3u8
        #EXT-X-STREAM-INF:BANDWIDTH=2800000,RESOLUTION=1280x720
        ./%s.m3u8
        #EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=100000,URI="%s.m3u8"
        """.formatted(A, B, C, D));
    assertTrue(master.master());
    assertEquals(List.of(new Child(A, ".m3u8", Role.PLAYLIST), new Child(B, ".m3u8", Role.PLAYLIST),
        new Child(C, ".m3u8", Role.PLAYLIST), new Child(D, ".m3u8", Role.PLAYLIST)), master.children());
  }

  @Test
  void mediaPlaylistNamesSegmentsKeysAndInitSections() throws Exception {
    HlsPlaylist media = parse("""
        #EXTM3U\r
        #EXT-X-TARGETDURATION:6\r
        #EXT-X-KEY:METHOD=AES-128,URI="%s.key",IV=0x00000000000000000000000000000001\r
        #EXT-X-MAP:URI="%s.mp4"\r
        #EXTINF:6.0,\r
        %s.ts\r
        #EXTINF:6.0,\r
        https://cdn.example/%s.ts\r
        #EXT-X-KEY:METHOD=AES-128,URI="%s.key"\r
        #EXTINF:2.5,\r
        %s\r
        #EXT-X-ENDLIST\r
        """.formatted(A, B, C, D, A, E));
    assertFalse(media.master());
    assertEquals(List.of(new Child(A, ".key", Role.KEY), new Child(B, ".mp4", Role.INIT), new Child(C, ".ts", Role.SEGMENT),
        new Child(D, ".ts", Role.SEGMENT), new Child(E, "", Role.SEGMENT)), media.children(), "the repeated key once");
    assertEquals(3, media.children(Role.SEGMENT).size());
  }

  @Test
  void keysThatAreNotBlobsAreLeftAlone() throws Exception {
    HlsPlaylist media = parse("#EXTM3U\n#EXT-X-KEY:METHOD=NONE\n#EXT-X-KEY:METHOD=SAMPLE-AES,URI=\"skd://key1\"\n"
        + "#EXTINF:4,\n" + F + ".ts\n");
    assertEquals(List.of(new Child(F, ".ts", Role.SEGMENT)), media.children());
  }

  @Test
  void aPrivateFilmsKeyServerIsNotABlob() throws Exception {
    HlsPlaylist media = parse("#EXTM3U\n#EXT-X-KEY:METHOD=AES-128,URI=\"https://node.example/api/film-key?a=30082:"
        + A + ":my-film\"\n#EXTINF:4,\n" + F + ".ts\n#EXT-X-KEY:METHOD=AES-128,URI=\"https://cdn.example/" + B
        + ".key\"\n#EXTINF:4,\n" + C + ".ts\n");
    assertEquals(List.of(new Child(F, ".ts", Role.SEGMENT), new Child(B, ".key", Role.KEY),
        new Child(C, ".ts", Role.SEGMENT)), media.children(), "a key named by its sha256 stays a blob");
  }

  @Test
  void malformedPlaylistsSayWhy() {
    assertEquals("playlist does not start with #EXTM3U",
        assertThrows(MalformedPlaylistException.class, () -> parse("#EXTINF:4,\n" + A + ".ts\n")).getMessage());
    assertEquals("line 3: child 'segment0.ts' is not named by its sha256 (Blossom HLS formatting)",
        assertThrows(MalformedPlaylistException.class, () -> parse("#EXTM3U\n#EXTINF:4,\nsegment0.ts\n")).getMessage());
    assertThrows(MalformedPlaylistException.class, () -> parse("#EXTM3U\n" + A.toUpperCase() + ".ts\n"));
    assertThrows(MalformedPlaylistException.class, () -> parse("#EXTM3U\n" + A + ".ts?token=1\n"));
    assertThrows(MalformedPlaylistException.class, () -> parse("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\n"));
    assertThrows(MalformedPlaylistException.class,
        () -> HlsPlaylist.parse(new byte[] {'#', 'E', 'X', 'T', 'M', '3', 'U', '\n', (byte) 0xff, '\n'}));
    byte[] huge = new byte[HlsPlaylist.MAX_BYTES + 1];
    assertTrue(assertThrows(MalformedPlaylistException.class, () -> HlsPlaylist.parse(huge)).getMessage()
        .contains("over the"));
  }
}
