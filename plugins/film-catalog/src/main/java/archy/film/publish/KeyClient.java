package archy.film.publish;

import archy.film.key.FilmKeyRoute;
import archy.film.key.Nip98;
import archy.nostr.Keys;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The publisher's side of a node's key server ({@link FilmKeyRoute}): stores a private film's key and manages its
 * viewers, every request NIP-98 signed by the publisher key.
 */
final class KeyClient {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final URI node;
  private final Keys keys;
  private final Clock clock;

  KeyClient(HttpClient http, URI node, Keys keys, Clock clock) {
    this.http = http;
    this.node = node;
    this.keys = keys;
    this.clock = clock;
  }

  /** The film's AES-128 key in {@code file}, made (16 random bytes, owner-only) on first use and kept for re-runs. */
  static Path keepKey(Path file) throws IOException {
    if (Files.exists(file)) {
      if (Files.size(file) != 16) throw new PublishException(file + " is not a 16-byte AES-128 key");
      return file;
    }
    byte[] key = new byte[16];
    new SecureRandom().nextBytes(key);
    Files.write(file, key, StandardOpenOption.CREATE_NEW);
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException notPosix) {
      // the file system's own permissions apply
    }
    return file;
  }

  void putKey(String d, byte[] key) throws IOException, InterruptedException {
    send("PUT", FilmKeyRoute.keyUrl(node, keys.publicKeyHex(), d), key);
  }

  /** Grants (or with {@code grant} false revokes) a viewer; returns the film's viewers afterwards. */
  List<String> grant(String d, String viewerHex, boolean grant) throws IOException, InterruptedException {
    return parseViewers(send(grant ? "PUT" : "DELETE",
        FilmKeyRoute.grantsUrl(node, keys.publicKeyHex(), d, viewerHex), null));
  }

  List<String> viewers(String d) throws IOException, InterruptedException {
    return parseViewers(send("GET", FilmKeyRoute.grantsUrl(node, keys.publicKeyHex(), d, null), null));
  }

  private static List<String> parseViewers(String body) throws IOException {
    List<String> out = new ArrayList<>();
    for (JsonNode v : JSON.readTree(body).path("viewers")) out.add(v.asText());
    return out;
  }

  private String send(String method, URI url, byte[] body) throws IOException, InterruptedException {
    HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofByteArray(body);
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(url).method(method, publisher).timeout(TIMEOUT)
        .header("Authorization", Nip98.header(keys, method, url, body, clock.instant().getEpochSecond()))
        .build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) {
      throw new PublishException(method + " " + url + " answered " + r.statusCode() + ": "
          + r.headers().firstValue("X-Reason").orElse(r.body()));
    }
    return r.body();
  }
}
