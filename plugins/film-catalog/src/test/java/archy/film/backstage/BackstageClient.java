package archy.film.backstage;

import archy.film.key.Nip98;
import archy.nostr.Keys;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Calls the backstage API of the node at {@code base} as the page does: every request NIP-98 signed. */
record BackstageClient(HttpClient http, String base) {
  /** A request signed by {@code keys} (null: unsigned); {@code body} null for none. */
  HttpResponse<String> call(Keys keys, String method, String path, byte[] body) throws Exception {
    URI url = URI.create(base + "/api/backstage" + path);
    HttpRequest.Builder b = HttpRequest.newBuilder(url).method(method, body == null
        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    if (keys != null) b.header("Authorization", Nip98.header(keys, method, url, body, now()));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static long now() {
    return System.currentTimeMillis() / 1000;
  }
}
