package archy.ecash.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.ecash.Vectors;
import archy.nostr.Hex;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** NUT-00 crypto vectors ({@code tests/00-tests.md}): hash_to_curve, blinded messages, blind signatures. */
class BdhkeVectorsTest {
  private static final JsonNode NUT00 = Vectors.load("nut00");

  static Stream<JsonNode> hashToCurve() {
    return items("hash_to_curve");
  }

  static Stream<JsonNode> blindedMessages() {
    return items("blinded_messages");
  }

  static Stream<JsonNode> blindSignatures() {
    return items("blind_signatures");
  }

  private static Stream<JsonNode> items(String field) {
    return StreamSupport.stream(NUT00.get(field).spliterator(), false);
  }

  @ParameterizedTest
  @MethodSource
  void hashToCurve(JsonNode v) {
    // the vectors hash the hex-decoded bytes, not the UTF-8 of the hex string
    assertEquals(v.get("point").asText(), Bdhke.hashToCurve(Hex.decode(v.get("message").asText())).toHex());
  }

  @ParameterizedTest
  @MethodSource
  void blindedMessages(JsonNode v) {
    Point y = Bdhke.hashToCurve(Hex.decode(v.get("x").asText()));
    Point blinded = Bdhke.blind(y, Scalar.fromHex(v.get("r").asText()));
    assertEquals(v.get("B_").asText(), blinded.toHex());
  }

  @ParameterizedTest
  @MethodSource
  void blindSignatures(JsonNode v) {
    Point signed = Bdhke.sign(Point.fromHex(v.get("B_").asText()), Scalar.fromHex(v.get("k").asText()));
    assertEquals(v.get("C_").asText(), signed.toHex());
  }

  @Test
  void secretsAreHashedAsUtf8NotAsTheirHexBytes() {
    // reference/cashu.md pitfall: real proofs feed UTF-8(secret) to hash_to_curve; checked against cashu-ts 4.8
    String x = NUT00.get("blinded_messages").get(0).get("x").asText();
    Scalar r = Scalar.fromHex(NUT00.get("blinded_messages").get(0).get("r").asText());
    Point fromUtf8 = Bdhke.blind(x, r);
    assertTrue(fromUtf8.toHex().startsWith("020323fb"), fromUtf8.toHex());
    assertNotEquals(NUT00.get("blinded_messages").get(0).get("B_").asText(), fromUtf8.toHex());
  }

  @Test
  void nutshellCrossCheckStep1WithRIsOne() {
    // cashubtc/nutshell tests/test_crypto.py: step1_alice("test_message", r=1)
    Scalar one = Scalar.fromHex("0000000000000000000000000000000000000000000000000000000000000001");
    assertTrue(Bdhke.blind("test_message", one).toHex().startsWith("025cc16f"));
  }

  @Test
  void fullRoundTripUnblindsToTheMintsSignature() {
    Scalar k = Scalar.random();
    Scalar r = Scalar.random();
    String secret = "407915bc212be61a77e3e6d2aeb4c727980bda51cd06a6afc29e2861768a7837";
    Point c = Bdhke.unblind(Bdhke.sign(Bdhke.blind(secret, r), k), r, k.publicKey());
    assertTrue(Bdhke.verify(secret, c, k));
    assertEquals(Bdhke.hashToCurve(secret).multiply(k), c);
    assertTrue(!Bdhke.verify(secret + "x", c, k));
  }
}
