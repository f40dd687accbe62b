package archy.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import archy.nostr.Event;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/** The NIP-01 round trips tests make again and again: publish and wait for OK, REQ until EOSE, NIP-11. */
public final class RelayCalls {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private RelayCalls() {}

  public static long now() {
    return System.currentTimeMillis() / 1000;
  }

  /** Sends the event and returns its OK message. */
  public static JsonNode publish(WsClient c, Event e) {
    c.send("[\"EVENT\"," + e.json() + "]");
    JsonNode ok = c.next();
    assertEquals("OK", ok.path(0).asText(), ok.toString());
    assertEquals(e.id(), ok.path(1).asText());
    return ok;
  }

  /** Sends a REQ, collects the event ids until EOSE, then closes the subscription. */
  public static List<String> req(WsClient c, String subId, String... filters) {
    List<String> ids = reqOpen(c, subId, filters);
    c.send("[\"CLOSE\"," + quote(subId) + "]");
    return ids;
  }

  /** Sends a REQ and collects the event ids until EOSE, leaving the subscription open for live events. */
  public static List<String> reqOpen(WsClient c, String subId, String... filters) {
    c.send("[\"REQ\"," + quote(subId) + "," + String.join(",", filters) + "]");
    List<String> ids = new ArrayList<>();
    while (true) {
      JsonNode m = c.next();
      String type = m.path(0).asText();
      if (type.equals("EOSE")) return ids;
      if (type.equals("CLOSED")) throw new AssertionError("closed: " + m);
      assertEquals("EVENT", type, m.toString());
      assertEquals(subId, m.path(1).asText());
      ids.add(m.path(2).path("id").asText());
    }
  }

  /** The node's NIP-11 document. */
  public static JsonNode nip11(String httpUrl) throws Exception {
    HttpRequest r = HttpRequest.newBuilder(URI.create(httpUrl)).header("Accept", "application/nostr+json").build();
    try (HttpClient http = HttpClient.newHttpClient()) {
      return MAPPER.readTree(http.send(r, HttpResponse.BodyHandlers.ofString()).body());
    }
  }

  public static String quote(String s) {
    try {
      return MAPPER.writeValueAsString(s);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
