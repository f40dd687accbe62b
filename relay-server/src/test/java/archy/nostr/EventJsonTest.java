package archy.nostr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The canonical NIP-01 serialization against nostr-tools 2.25.2: each line of {@code nostr-tools-escapes.jsonl}
 * is, verbatim, what {@code src/test/node/escape-vectors.mjs} printed — the {@code serializeEvent} string that
 * nostr-tools hashes and the event {@code finalizeEvent} signed — for contents and tags holding control
 * characters (U+0000, U+0001, U+001F, …), DEL, U+2028/U+2029 and a lone surrogate.
 */
class EventJsonTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  static List<String> vectors() {
    try (InputStream in = EventJsonTest.class.getResourceAsStream("/nostr-tools-escapes.jsonl")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @ParameterizedTest
  @MethodSource("vectors")
  void serializesAndHashesAsNostrTools(String line) throws Exception {
    JsonNode vector = MAPPER.readTree(line);
    JsonNode e = vector.get("event");
    List<List<String>> tags = new ArrayList<>();
    for (JsonNode tag : e.get("tags")) {
      List<String> t = new ArrayList<>();
      tag.forEach(v -> t.add(v.asText()));
      tags.add(t);
    }
    String pubkey = e.get("pubkey").asText();
    long createdAt = e.get("created_at").asLong();
    int kind = e.get("kind").asInt();
    String content = e.get("content").asText();
    assertEquals(vector.get("serialized").asText(), EventJson.canonical(pubkey, createdAt, kind, tags, content));
    assertEquals(e.get("id").asText(), EventJson.computeId(pubkey, createdAt, kind, tags, content));
  }

  @ParameterizedTest
  @MethodSource("vectors")
  void acceptsTheEventsNostrToolsSigned(String line) throws Exception {
    String json = MAPPER.writeValueAsString(MAPPER.readTree(line).get("event"));
    for (SchnorrVerifier verifier : List.of(new NativeSchnorr(), new BouncySchnorr())) {
      Event event = new EventParser(verifier).parse(json);
      assertEquals(MAPPER.readTree(line).at("/event/id").asText(), event.id());
      // What we send clients is valid JSON that parses back to the same event.
      assertEquals(event, new EventParser(verifier).parse(event.json()));
    }
  }
}
