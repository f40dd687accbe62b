package archy.ecash;

import static org.junit.jupiter.api.Assertions.assertEquals;

import archy.testing.TestNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A token as long as max_token_bytes allows reaches the node in X-Cashu instead of meeting Jetty's 431. */
class TokenHeaderRoomTest {
  @TempDir Path dir;

  @Test
  void theLongestAllowedTokenFitsInARequestHeader() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    for (int maxTokenBytes : new int[] {16_384, 40_000}) {
      String toml = "[plugins]\nenabled = [\"ecash-gate\"]\n[ecash-gate]\nmax_token_bytes = " + maxTokenBytes + "\n";
      try (TestNode node = TestNode.start(dir.resolve("n" + maxTokenBytes), toml)) {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(node.httpUrl() + "/"))
            .header("X-Cashu", "cashuB" + "A".repeat(maxTokenBytes - 6))
            .header("Authorization", "Nostr " + "B".repeat(2_000)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), "max_token_bytes = " + maxTokenBytes + ": " + r.headers().map());
      }
    }
  }
}
