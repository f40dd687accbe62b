package archy.ecash.token;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import archy.ecash.Vectors;
import archy.nostr.Hex;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** NUT-00 token vectors ({@code tests/00-tests.md}): V3 and V4 serialization, invalid prefixes, padding, raw bytes. */
class TokenVectorsTest {
  private static final JsonNode NUT00 = Vectors.load("nut00");

  /** The V3 JSON of the vectors, as a {@link Token}. */
  private static Token fromV3Json(JsonNode json) throws Exception {
    JsonNode entry = json.get("token").get(0);
    List<Proof> proofs = new ArrayList<>();
    for (JsonNode p : entry.get("proofs")) proofs.add(Vectors.json().treeToValue(p, Proof.class));
    return new Token(entry.get("mint").asText(), json.get("unit").asText(), json.path("memo").asText(null), proofs);
  }

  /** The V4 JSON of the vectors (byte strings written as {@code {"$bytes": hex}}), as a {@link Token}. */
  private static Token fromV4Json(JsonNode json) {
    List<Proof> proofs = new ArrayList<>();
    for (JsonNode group : json.get("t")) {
      String id = group.get("i").get("$bytes").asText();
      for (JsonNode p : group.get("p")) {
        proofs.add(new Proof(p.get("a").asLong(), id, p.get("s").asText(), p.get("c").get("$bytes").asText()));
      }
    }
    return new Token(json.get("m").asText(), json.get("u").asText(), json.path("d").asText(null), proofs);
  }

  private static String unpadded(String s) {
    return s.replaceAll("=+$", "");
  }

  @Test
  void v3Serialization() throws Exception {
    JsonNode v = NUT00.get("token_v3");
    Token token = fromV3Json(v.get("json"));
    assertEquals(unpadded(v.get("serialized").asText()), token.encodeV3());
    assertEquals(token, Token.decode(v.get("serialized").asText()));
  }

  static Stream<JsonNode> v3Invalid() {
    return StreamSupport.stream(NUT00.get("token_v3_invalid").spliterator(), false);
  }

  @ParameterizedTest
  @MethodSource
  void v3Invalid(JsonNode v) {
    assertThrows(InvalidTokenException.class, () -> Token.decode(v.get("token").asText()), v.get("reason").asText());
  }

  @Test
  void v3Valid() throws Exception {
    Token token = Token.decode(NUT00.get("token_v3_valid").asText());
    assertEquals(fromV3Json(NUT00.get("token_v3").get("json")), token);
    assertEquals(10, token.amount());
  }

  @Test
  void v3WithAndWithoutPadding() throws Exception {
    JsonNode v = NUT00.get("token_v3_padding");
    Token padded = Token.decode(v.get("padded").asText());
    Token unpadded = Token.decode(v.get("unpadded").asText());
    assertEquals(padded, unpadded);
    assertEquals("Thank you very much.", padded.memo());
  }

  static Stream<JsonNode> v4() {
    return StreamSupport.stream(NUT00.get("token_v4").spliterator(), false);
  }

  @ParameterizedTest
  @MethodSource
  void v4(JsonNode v) throws Exception {
    Token token = fromV4Json(v.get("json"));
    // byte for byte, except that our encoder never pads (the single-keyset vector does)
    assertEquals(unpadded(v.get("serialized").asText()), token.encode());
    assertEquals(token, Token.decode(v.get("serialized").asText()));
  }

  @Test
  void v4RawBytes() throws Exception {
    JsonNode v = NUT00.get("token_v4_raw");
    Token token = fromV4Json(v.get("json"));
    byte[] raw = Hex.decode(v.get("raw_hex").asText());
    assertArrayEquals(raw, token.toBytes());
    assertEquals(token, Token.fromBytes(raw));
  }
}
