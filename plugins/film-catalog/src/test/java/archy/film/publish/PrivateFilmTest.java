package archy.film.publish;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.film.did.CreatorKey;
import archy.film.key.FilmKeyRoute;
import archy.film.key.Nip98;
import archy.nostr.Keys;
import archy.server.ArchyNode;
import archy.testing.TestNode;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Private films, creator signatures and the seed advert of {@code archy film publish} (issue 15) on a real node:
 * {@code --private} makes AES-128 HLS whose segments on the node are ciphertext and whose key is served only at the
 * NIP-98 key URL to the publisher and granted viewers ({@code grant}/{@code revoke}); {@code --creator-key} (from
 * {@code keygen --creator}) makes a film the catalog reports {@code creator_verified}; a public film gets the node's
 * kind 30081 advert right after it is published.
 */
class PrivateFilmTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern KEY_LINE = Pattern.compile("#EXT-X-KEY:METHOD=AES-128,URI=\"([^\"]+)\"");
  @TempDir static Path dir;
  static final Keys nodeKey = Keys.generate();
  static ArchyNode node;
  static String base;
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    int port = TestNode.freePort();
    node = PublishRuns.node(dir.resolve("node"), nodeKey, port, "\"film-catalog\"",
        "advertise = true\nfetch_allow_private = true\n", "");
    base = "http://127.0.0.1:" + port;
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  @Test
  void aPrivateFilmIsCiphertextAndItsKeyGoesOnlyToGrantedViewers() throws Exception {
    Path creatorFile = dir.resolve("creator.key");
    PublishRuns.Run keygen = PublishRuns.film("keygen", "--creator", "--out",
        creatorFile.toString());
    assertEquals(0, keygen.exit(), keygen.err());
    String did = keygen.out().getFirst();
    assertTrue(did.startsWith("did:key:z6Mk"), did);
    assertEquals(did, CreatorKey.read(creatorFile).did().did());

    Path video = PublishRuns.video(dir.resolve("secret.mp4"), "testsrc2", 12, 440);
    PublishRuns.Run run = PublishRuns.film(base, dir.resolve("node"), "publish", video.toString(), "--title",
        "Secret Film", "--private", "--creator-key", creatorFile.toString(), "--preset", "ultrafast",
        "--ladder", "360");
    assertEquals(0, run.exit(), run.err());
    String d = run.out().getFirst();
    JsonNode entry = awaitRead(d, "Secret Film");
    assertTrue(entry.path("creator_verified").asBoolean(), entry.toString());
    assertEquals("aes-128", entry.path("enc").path("scheme").asText(), entry.toString());
    assertEquals("nip98", entry.path("enc").path("key_ref").asText());

    // The playlists name the key server, not a blob; the segments on the node are ciphertext.
    String master = text(entry.path("master_url").asText());
    String variant = text("/" + master.lines().filter(l -> l.endsWith(".m3u8")).findFirst().orElseThrow());
    Matcher key = KEY_LINE.matcher(variant);
    assertTrue(key.find(), variant);
    URI keyUrl = URI.create(key.group(1));
    assertEquals(FilmKeyRoute.keyUrl(URI.create(base), nodeKey.publicKeyHex(), d), keyUrl);
    String firstSegment = variant.lines().filter(l -> l.endsWith(".ts")).findFirst().orElseThrow();
    byte[] cipher = bytes("/" + firstSegment);
    assertNotEquals(0x47, cipher[0] & 0xff, "not a plaintext MPEG-TS packet");
    assertEquals(entry.path("availability").path("total").asInt(), entry.path("availability").path("local").asInt());

    // No authentication: 401; another key: 403; the publisher: the key, which decrypts the segment.
    HttpResponse<byte[]> anonymous = http.send(HttpRequest.newBuilder(keyUrl).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(401, anonymous.statusCode());
    assertTrue(anonymous.headers().firstValue("X-Reason").orElse("").contains("NIP-98"));
    Keys viewer = Keys.generate();
    HttpResponse<byte[]> stranger = getKey(keyUrl, viewer);
    assertEquals(403, stranger.statusCode());
    assertTrue(stranger.headers().firstValue("X-Reason").orElse("").contains("not granted"));
    HttpResponse<byte[]> own = getKey(keyUrl, nodeKey);
    assertEquals(200, own.statusCode());
    assertEquals(16, own.body().length);
    assertEquals("no-store", own.headers().firstValue("Cache-Control").orElse(""));
    byte[] plain = decrypt(cipher, own.body(), 0);
    assertEquals(0x47, plain[0] & 0xff, "the key decrypts the first segment (IV = media sequence 0)");
    assertEquals(0x47, plain[188] & 0xff);
    assertTrue(keyIsNoBlob(own.body()), "the key bytes are in no blob of the node");

    // A NIP-98 event for another URL or method does not open the key.
    HttpResponse<byte[]> wrongUrl = http.send(HttpRequest.newBuilder(keyUrl).header("Authorization",
        Nip98.header(nodeKey, "GET", URI.create(base + "/api/film-key?a=other"), null, now())).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(401, wrongUrl.statusCode());

    PublishRuns.Run grant = PublishRuns.film(base, dir.resolve("node"), "grant", d, viewer.npub());
    assertEquals(0, grant.exit(), grant.err());
    HttpResponse<byte[]> granted = getKey(keyUrl, viewer);
    assertEquals(200, granted.statusCode());
    assertArrayEquals(own.body(), granted.body());
    PublishRuns.Run viewers = PublishRuns.film(base, dir.resolve("node"), "viewers", d);
    assertEquals(java.util.List.of(viewer.publicKeyHex()), viewers.out());
    PublishRuns.Run revoke = PublishRuns.film(base, dir.resolve("node"), "revoke", d, viewer.publicKeyHex());
    assertEquals(0, revoke.exit(), revoke.err());
    assertEquals(403, getKey(keyUrl, viewer).statusCode());

    // Only the publisher manages viewers or stores keys.
    URI grants = FilmKeyRoute.grantsUrl(URI.create(base), nodeKey.publicKeyHex(), d, viewer.publicKeyHex());
    HttpResponse<String> foreign = http.send(HttpRequest.newBuilder(grants)
        .PUT(HttpRequest.BodyPublishers.noBody())
        .header("Authorization", Nip98.header(viewer, "PUT", grants, null, now())).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(403, foreign.statusCode());

    // A re-run keeps the key and the transcode: the same film, nothing uploaded again.
    PublishRuns.Run again = PublishRuns.film(base, dir.resolve("node"), "publish", video.toString(), "--title",
        "Secret Film", "--private", "--creator-key", creatorFile.toString(), "--preset", "ultrafast",
        "--ladder", "360");
    assertEquals(0, again.exit(), again.err());
    assertEquals(d, again.out().getFirst());
    assertTrue(again.err().contains("uploaded 0 blobs"), again.err());
    assertTrue(again.err().contains("kept from an earlier run"), again.err());
    assertTrue(!run.err().contains("seed advert: kind 30081"), "private films are never advertised");
  }

  @Test
  void aPublicFilmIsAdvertisedByTheNodeRightAway() throws Exception {
    Path video = PublishRuns.video(dir.resolve("open.mp4"), "smptebars", 6, 523);
    PublishRuns.Run run = PublishRuns.film(base, dir.resolve("node"), "publish", video.toString(), "--title",
        "Open Film", "--preset", "ultrafast", "--ladder", "360");
    assertEquals(0, run.exit(), run.err());
    assertTrue(run.err().contains("seed advert: kind 30081"), run.err());
    assertTrue(run.err().contains("by node " + nodeKey.publicKeyHex()), run.err());
  }

  private static long now() {
    return System.currentTimeMillis() / 1000;
  }

  private static HttpResponse<byte[]> getKey(URI keyUrl, Keys who) throws Exception {
    return http.send(HttpRequest.newBuilder(keyUrl).header("Authorization", Nip98.header(who, "GET", keyUrl, null,
        now())).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static boolean keyIsNoBlob(byte[] key) throws Exception {
    try (Stream<Path> files = Files.walk(dir.resolve("node"))) {
      return files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().equals("film.key"))
          .filter(p -> !p.toString().endsWith(".db") && !p.toString().contains("-wal") && !p.toString().contains("-shm"))
          .noneMatch(p -> {
            try {
              return Files.size(p) == 16 && java.util.Arrays.equals(Files.readAllBytes(p), key);
            } catch (java.io.IOException e) {
              return false;
            }
          });
    }
  }

  static byte[] decrypt(byte[] cipher, byte[] key, long sequence) throws Exception {
    byte[] iv = new byte[16];
    for (int i = 0; i < 8; i++) iv[15 - i] = (byte) (sequence >>> (8 * i));
    Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
    aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
    return aes.doFinal(cipher);
  }

  private static JsonNode awaitRead(String d, String title) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = FilmListCommands.catalogEntry(NodeOptions.http(), URI.create(base), nodeKey.publicKeyHex(), d, title);
      if (last != null && last.path("availability").path("playlists").asText().equals("read")) return last;
      Thread.sleep(50);
    }
    throw new AssertionError(d + " never read: " + last);
  }

  private static String text(String path) throws Exception {
    return new String(bytes(path), StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String path) throws Exception {
    HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, r.statusCode(), path);
    return r.body();
  }
}
