package archy.film.backstage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.film.key.Nip98;
import archy.film.publish.PublishRuns;
import archy.nostr.Event;
import archy.nostr.EventSigner;
import archy.nostr.Keys;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backstage API on a real node (issue 15): a trusted publisher uploads a real 10 s video in chunks over HTTP
 * with NIP-98, one chunk cut off mid-body and the upload resumed from the node's offset; real ffmpeg transcodes it
 * (progress from -progress out_time), every blob lands in the node's store, and the unsigned 30082 the node returns,
 * signed by the publisher, is listed with the title, genres and price chosen. Others are refused with X-Reason.
 */
class BackstageApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dir;
  static final Keys publisher = Keys.generate();
  static PublishRuns.Started node;
  static String base;
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    node = PublishRuns.start(dir.resolve("node"), publisher);
    base = node.base();
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  static HttpResponse<String> call(Keys keys, String method, String path, byte[] body) throws Exception {
    return new BackstageClient(http, base).call(keys, method, path, body);
  }

  static JsonNode ok(HttpResponse<String> r, int status) throws Exception {
    assertEquals(status, r.statusCode(), r.request().method() + " " + r.uri() + ": "
        + r.headers().firstValue("X-Reason").orElse(r.body()));
    return JSON.readTree(r.body());
  }

  static byte[] json(Object o) throws Exception {
    return JSON.writeValueAsBytes(o);
  }

  static long now() {
    return BackstageClient.now();
  }

  static String reason(HttpResponse<?> r) {
    return r.headers().firstValue("X-Reason").orElse("");
  }

  @Test
  void othersAreRefused() throws Exception {
    HttpResponse<String> none = call(null, "GET", "/me", null);
    assertEquals(401, none.statusCode());
    assertTrue(reason(none).contains("NIP-98"), reason(none));
    HttpResponse<String> stranger = call(Keys.generate(), "POST", "/uploads",
        json(java.util.Map.of("name", "x.mp4", "size", 10, "last_modified", 1)));
    assertEquals(403, stranger.statusCode());
    assertEquals("not a trusted film publisher of this node", reason(stranger));
    // A NIP-98 event for another URL does not open this one.
    URI me = URI.create(base + "/api/backstage/me");
    HttpResponse<String> replayed = http.send(HttpRequest.newBuilder(me).header("Authorization",
        Nip98.header(publisher, "GET", URI.create(base + "/api/backstage/uploads"), null, now())).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(401, replayed.statusCode());
    assertEquals(publisher.publicKeyHex(), ok(call(publisher, "GET", "/me", null), 200).path("pubkey").asText());
    HttpResponse<String> huge = call(publisher, "POST", "/uploads",
        json(java.util.Map.of("name", "huge.mp4", "size", (64L << 30) + 1, "last_modified", 1)));
    assertEquals(413, huge.statusCode());
    assertTrue(reason(huge).contains("backstage_max_bytes"), reason(huge));
  }

  @Test
  void anInterruptedUploadResumesThenTranscodesAndPublishes() throws Exception {
    Path video = PublishRuns.video(dir.resolve("Backstage Take.mp4"), "testsrc", 10, 440);
    byte[] bytes = Files.readAllBytes(video);
    var file = java.util.Map.of("name", "Backstage Take.mp4", "size", bytes.length, "last_modified", 1_765_000_000L);
    JsonNode created = ok(call(publisher, "POST", "/uploads", json(file)), 200);
    String id = created.path("id").asText();
    assertEquals(0, created.path("offset").asLong());
    assertEquals("uploading", created.path("state").asText());

    int first = bytes.length / 3;
    ok(call(publisher, "PUT", "/uploads/" + id + "?offset=0", Arrays.copyOf(bytes, first)), 200);
    assertEquals(409, call(publisher, "POST", "/uploads/" + id + "/transcode", null).statusCode(), "incomplete");

    // The next chunk is cut off mid-body (the connection drops): the node keeps none of it.
    cutOff("/api/backstage/uploads/" + id + "?offset=" + first, Arrays.copyOfRange(bytes, first, bytes.length));
    HttpResponse<String> head = call(publisher, "HEAD", "/uploads/" + id, null);
    assertEquals(200, head.statusCode());
    assertEquals(Long.toString(first), head.headers().firstValue("Upload-Offset").orElse(""));
    HttpResponse<String> stale = call(publisher, "PUT", "/uploads/" + id + "?offset=0", Arrays.copyOf(bytes, 10));
    assertEquals(409, stale.statusCode());
    assertEquals(Long.toString(first), stale.headers().firstValue("Upload-Offset").orElse(""));
    assertEquals(403, call(Keys.generate(), "GET", "/uploads/" + id, null).statusCode());

    // Choosing the same file again finds the same upload at the node's offset.
    JsonNode resumed = ok(call(publisher, "POST", "/uploads", json(file)), 200);
    assertEquals(id, resumed.path("id").asText());
    assertEquals(first, resumed.path("offset").asLong());
    JsonNode done = ok(call(publisher, "PUT", "/uploads/" + id + "?offset=" + first,
        Arrays.copyOfRange(bytes, first, bytes.length)), 200);
    assertEquals(bytes.length, done.path("offset").asLong());
    assertEquals("uploaded", done.path("state").asText());
    assertTrue(Arrays.equals(bytes, Files.readAllBytes(dir.resolve("node/plugins/film-catalog/backstage/" + id
        + "/source"))), "the node holds the file byte for byte");
    assertEquals(409, call(publisher, "POST", "/uploads/" + id + "/template", json(java.util.Map.of("title", "T")))
        .statusCode(), "no template before the transcode");

    ok(call(publisher, "POST", "/uploads/" + id + "/transcode", null), 202);
    List<Integer> transcoding = new ArrayList<>();
    JsonNode status;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (true) {
      status = ok(call(publisher, "GET", "/uploads/" + id, null), 200);
      String state = status.path("state").asText();
      if (state.equals("transcoding")) transcoding.add(status.path("percent").asInt());
      if (state.equals("ready") || state.equals("failed")) break;
      assertTrue(System.nanoTime() < deadline, "transcode never finished: " + status);
      Thread.sleep(100);
    }
    assertEquals("ready", status.path("state").asText(), status.toString());
    assertTrue(transcoding.stream().anyMatch(p -> p > 0 && p <= 100), "progress from ffmpeg: " + transcoding);
    for (int i = 1; i < transcoding.size(); i++) assertTrue(transcoding.get(i) >= transcoding.get(i - 1), "" + transcoding);
    assertEquals(10, status.path("duration_s").asInt(), status.toString());
    HttpResponse<byte[]> poster = http.send(HttpRequest.newBuilder(URI.create(base + status.path("poster").asText()))
        .build(), HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, poster.statusCode(), "the poster frame is a blob on the node: " + status);
    assertEquals(0xFF, poster.body()[0] & 0xFF, "a JPEG");
    String d = status.path("d").asText();
    assertTrue(d.startsWith("backstage-take-"), d);

    var form = java.util.Map.of("title", "Backstage Take", "summary", "Made on the page.",
        "genres", List.of("Drama", "test"), "price", 2);
    JsonNode template = ok(call(publisher, "POST", "/uploads/" + id + "/template", json(form)), 200);
    assertEquals(30082, template.path("kind").asInt());
    assertFalse(template.has("sig") || template.has("id"), "unsigned");
    List<List<String>> tags = JSON.convertValue(template.path("tags"), JSON.getTypeFactory()
        .constructCollectionType(List.class, JSON.getTypeFactory().constructCollectionType(List.class, String.class)));
    assertTrue(tags.contains(List.of("d", d)) && tags.contains(List.of("title", "Backstage Take"))
        && tags.contains(List.of("t", "drama")) && tags.contains(List.of("price", "2", "sat"))
        && tags.contains(List.of("x", status.path("master").asText())), tags.toString());

    Event forged = EventSigner.sign(Keys.generate(), template.path("created_at").asLong(), 30082, tags,
        template.path("content").asText());
    assertEquals(403, call(publisher, "POST", "/uploads/" + id + "/publish", forged.json().getBytes(
        StandardCharsets.UTF_8)).statusCode(), "signed by another key");
    Event signed = EventSigner.sign(publisher, template.path("created_at").asLong(), 30082, tags,
        template.path("content").asText());
    JsonNode published = ok(call(publisher, "POST", "/uploads/" + id + "/publish",
        signed.json().getBytes(StandardCharsets.UTF_8)), 200);
    String address = "30082:" + publisher.publicKeyHex() + ":" + d;
    assertEquals(address, published.path("address").asText());
    assertEquals("published", ok(call(publisher, "GET", "/uploads/" + id, null), 200).path("state").asText());

    JsonNode film = listed(address);
    assertEquals("Backstage Take", film.path("title").asText(), film.toString());
    assertEquals(List.of("drama", "test"), JSON.convertValue(film.path("genres"), List.class), film.toString());
    assertEquals(2, film.path("monetized").path("sats_per_mb").asInt(), film.toString());
    assertEquals(status.path("blobs").asInt(), film.path("availability").path("local").asInt(), film.toString());
    assertNotEquals(0, film.path("availability").path("total").asInt(), film.toString());

    // Removing the source leaves the film: its blobs are in the store.
    ok(call(publisher, "DELETE", "/uploads/" + id, null), 200);
    assertEquals(404, call(publisher, "GET", "/uploads/" + id, null).statusCode());
    assertFalse(Files.exists(dir.resolve("node/plugins/film-catalog/backstage/" + id)), "the source is gone");
    assertEquals(film.path("availability").path("local").asInt(), listed(address).path("availability").path("local")
        .asInt(), "every blob still held");
  }

  /** Sends a PUT whose body stops halfway, then closes the connection. */
  static void cutOff(String pathAndQuery, byte[] body) throws Exception {
    URI url = URI.create(base + pathAndQuery);
    String auth = Nip98.header(publisher, "PUT", url, body, now());
    try (Socket s = new Socket(url.getHost(), url.getPort())) {
      OutputStream out = s.getOutputStream();
      out.write(("PUT " + pathAndQuery + " HTTP/1.1\r\nHost: " + url.getAuthority() + "\r\nAuthorization: " + auth
          + "\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(body, 0, body.length / 2);
      out.flush();
      Thread.sleep(200);
    }
    Thread.sleep(300);
  }

  /** The film as the catalog lists it, once its playlists were read and every blob is here. */
  static JsonNode listed(String address) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/film-catalog?a="
          + URLEncoder.encode(address, StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
      JsonNode film = JSON.readTree(r.body()).path("films").path(0);
      JsonNode a = film.path("availability");
      if (a.path("playlists").asText().equals("read") && a.path("local").asInt() == a.path("total").asInt()) {
        return film;
      }
      assertTrue(System.nanoTime() < deadline, address + " never listed whole: " + r.body());
      Thread.sleep(100);
    }
  }
}
