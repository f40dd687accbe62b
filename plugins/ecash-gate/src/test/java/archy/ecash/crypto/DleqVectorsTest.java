package archy.ecash.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.ecash.Vectors;
import archy.nostr.Hex;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** NUT-12 vectors ({@code tests/12-tests.md}): hash_e, the deterministic nonce, DLEQ on signatures and proofs. */
class DleqVectorsTest {
  private static final JsonNode NUT12 = Vectors.load("nut12");

  private static Point point(JsonNode v, String field) {
    return Point.fromHex(v.get(field).asText());
  }

  @Test
  void hashE() {
    JsonNode v = NUT12.get("hash_e");
    byte[] hash = DleqProof.hashE(point(v, "R1"), point(v, "R2"), point(v, "K"), point(v, "C_"));
    assertArrayEquals(Hex.decode(v.get("hash").asText()), hash);
  }

  @Test
  void deterministicNonceReproducesEAndS() {
    JsonNode v = NUT12.get("deterministic_nonce");
    Scalar a = Scalar.fromHex(v.get("a").asText());
    assertEquals(point(v, "A"), a.publicKey());
    DleqProof proof = DleqProof.create(a, point(v, "B_"), point(v, "C_"));
    assertEquals(v.get("e").asText(), proof.e().toHex());
    assertEquals(v.get("s").asText(), proof.s().toHex());
    assertTrue(proof.verify(point(v, "A"), point(v, "B_"), point(v, "C_")));
  }

  @Test
  void dleqOnBlindSignature() {
    JsonNode v = NUT12.get("blind_signature");
    JsonNode sig = v.get("signature");
    DleqProof proof = DleqProof.fromHex(sig.get("dleq").get("e").asText(), sig.get("dleq").get("s").asText());
    assertTrue(proof.verify(point(v, "A"), point(v, "B_"), Point.fromHex(sig.get("C_").asText())));
    // the same proof must not verify for another key
    assertFalse(proof.verify(Scalar.random().publicKey(), point(v, "B_"), Point.fromHex(sig.get("C_").asText())));
  }

  @Test
  void dleqOnProof() {
    JsonNode v = NUT12.get("proof");
    JsonNode p = v.get("proof");
    JsonNode d = p.get("dleq");
    DleqProof proof = DleqProof.fromHex(d.get("e").asText(), d.get("s").asText());
    Scalar r = Scalar.fromHex(d.get("r").asText());
    assertTrue(proof.verifyProof(point(v, "A"), p.get("secret").asText(), Point.fromHex(p.get("C").asText()), r));
    assertFalse(proof.verifyProof(point(v, "A"), p.get("secret").asText() + "0", Point.fromHex(p.get("C").asText()), r));
  }

  @Test
  void createdProofsVerifyForRandomKeys() {
    Scalar a = Scalar.random();
    Scalar r = Scalar.random();
    String secret = "daf4dd00a2b68a0858a80450f52c8a7d2ccf87d375e43e216e0c571f089f63e9";
    Point blinded = Bdhke.blind(secret, r);
    Point blindSignature = Bdhke.sign(blinded, a);
    DleqProof proof = DleqProof.create(a, blinded, blindSignature);
    assertTrue(proof.verify(a.publicKey(), blinded, blindSignature));
    Point c = Bdhke.unblind(blindSignature, r, a.publicKey());
    assertTrue(proof.verifyProof(a.publicKey(), secret, c, r));
    assertEquals(proof, DleqProof.create(a, blinded, blindSignature), "deterministic");
  }
}
