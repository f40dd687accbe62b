package archy.ecash.keyset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.ecash.Vectors;
import archy.ecash.crypto.Point;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** NUT-01 ({@code tests/01-tests.md}) and NUT-02 ({@code tests/02-tests.md}) keyset vectors. */
class KeysetVectorsTest {
  private static final JsonNode NUT01 = Vectors.load("nut01");
  private static final JsonNode NUT02 = Vectors.load("nut02");

  private static Map<String, String> keys(JsonNode node) {
    return Vectors.json().convertValue(node, new TypeReference<LinkedHashMap<String, String>>() {});
  }

  private static Stream<JsonNode> items(JsonNode file, String field) {
    return StreamSupport.stream(file.get(field).spliterator(), false);
  }

  static Stream<JsonNode> invalidKeysets() {
    return items(NUT01, "invalid");
  }

  static Stream<JsonNode> validKeysets() {
    return items(NUT01, "valid");
  }

  static Stream<JsonNode> v1Ids() {
    return items(NUT02, "v1");
  }

  static Stream<JsonNode> v2Ids() {
    return items(NUT02, "v2");
  }

  @ParameterizedTest
  @MethodSource
  void invalidKeysets(JsonNode v) {
    assertThrows(InvalidKeysetException.class, () -> Keyset.parseKeys(keys(v.get("keys"))), v.get("reason").asText());
  }

  @ParameterizedTest
  @MethodSource
  void validKeysets(JsonNode v) throws Exception {
    SortedMap<BigInteger, Point> parsed = Keyset.parseKeys(keys(v));
    assertEquals(v.size(), parsed.size());
    for (Map.Entry<String, JsonNode> e : v.properties()) {
      assertEquals(e.getValue().asText(), parsed.get(new BigInteger(e.getKey())).toHex());
    }
  }

  @Test
  void theLargestValidAmountIsOnePastLongMax() throws Exception {
    SortedMap<BigInteger, Point> parsed = Keyset.parseKeys(keys(NUT01.get("valid").get(1)));
    assertEquals(new BigInteger("9223372036854775808"), parsed.lastKey());
    Keyset keyset = new Keyset("000f01df73ea149a", "sat", true, 0, null, parsed);
    // usable amounts stop at Long.MAX_VALUE: the 2^63 key exists but cannot back a long-valued proof
    assertEquals(1L << 62, keyset.split((1L << 62)).get(0));
    assertEquals(63, keyset.split(Long.MAX_VALUE).size());
  }

  @ParameterizedTest
  @MethodSource
  void v1Ids(JsonNode v) throws Exception {
    SortedMap<BigInteger, Point> parsed = Keyset.parseKeys(keys(v.get("keys")));
    assertEquals(v.get("id").asText(), KeysetId.deriveV1(parsed));
    assertTrue(Keyset.parse(v.get("id").asText(), "sat", true, 0, null, keys(v.get("keys"))).idMatchesKeys());
  }

  @ParameterizedTest
  @MethodSource
  void v2Ids(JsonNode v) throws Exception {
    SortedMap<BigInteger, Point> parsed = Keyset.parseKeys(keys(v.get("keys")));
    Long expiry = v.get("final_expiry").isNull() ? null : v.get("final_expiry").asLong();
    long fee = v.get("input_fee_ppk").asLong();
    String unit = v.get("unit").asText();
    assertEquals(v.get("id").asText(), KeysetId.deriveV2(parsed, unit, fee, expiry));
    Keyset keyset = Keyset.parse(v.get("id").asText(), unit, true, fee, expiry, keys(v.get("keys")));
    assertEquals(KeysetVersion.V2, KeysetVersion.of(keyset.id()));
    // any change to the committed metadata changes the id
    assertFalse(new Keyset(keyset.id(), "usd", true, fee, expiry, parsed).idMatchesKeys());
    assertFalse(new Keyset(keyset.id(), unit, true, fee + 1, expiry, parsed).idMatchesKeys());
  }
}
