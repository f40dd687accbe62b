package archy.streams.client;

import archy.nostr.Hex;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** What a stream client reads of a relay before paying it: its NIP-11 {@code pubkey}, the key payments are NIP-44 to. */
final class RelayInfo {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RelayInfo() {}

  static String pubkey(String relayUrl) throws IOException, InterruptedException {
    URI http = URI.create(httpOf(relayUrl));
    HttpRequest request = HttpRequest.newBuilder(http).timeout(Duration.ofSeconds(15))
        .header("Accept", "application/nostr+json").GET().build();
    HttpResponse<String> response;
    try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
      response = client.send(request, HttpResponse.BodyHandlers.ofString());
    }
    if (response.statusCode() != 200) throw new IOException(http + " answered " + response.statusCode() + " to NIP-11");
    JsonNode doc = JSON.readTree(response.body());
    String pubkey = doc.path("pubkey").asText("");
    if (!Hex.isLowerHex(pubkey, 64)) throw new IOException("the relay's NIP-11 document names no pubkey to pay to");
    return pubkey;
  }

  static String httpOf(String relay) {
    String r = relay.replaceAll("/+$", "");
    return r.startsWith("wss://") ? "https://" + r.substring(6) : r.startsWith("ws://") ? "http://" + r.substring(5) : r;
  }

  static String host(String relay) {
    String host = URI.create(httpOf(relay)).getHost();
    return host == null ? relay : host;
  }
}
