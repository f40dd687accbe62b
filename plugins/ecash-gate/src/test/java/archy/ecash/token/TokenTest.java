package archy.ecash.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.ecash.crypto.Bdhke;
import archy.ecash.crypto.DleqProof;
import archy.ecash.crypto.Point;
import archy.ecash.crypto.Scalar;
import archy.ecash.encoding.Base64Url;
import archy.ecash.encoding.Cbor;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Round trips and refusals beyond the official vectors. */
class TokenTest {
  private static final String V2_ID = "015ba18a8adcd02e715a58358eb618da4a4b3791151a4bee5e968bb88406ccf76a";
  private static final String OTHER_V2_ID = "015ba18a8adcd02e11111111111111111111111111111111111111111111111111";

  /** A real proof: signed by {@code k}, with a DLEQ carrying {@code r}. */
  private static Proof signedProof(long amount, String keysetId, Scalar k, boolean withDleq) {
    Scalar r = Scalar.random();
    String secret = Scalar.random().toHex();
    Point blinded = Bdhke.blind(secret, r);
    Point c_ = Bdhke.sign(blinded, k);
    Point c = Bdhke.unblind(c_, r, k.publicKey());
    Dleq dleq = withDleq ? Dleq.of(DleqProof.create(k, blinded, c_), r) : null;
    return new Proof(amount, keysetId, secret, c.toHex(), dleq, null);
  }

  @Test
  void v4RoundTripKeepsDleqWitnessMemoAndGrouping() throws Exception {
    Scalar k = Scalar.random();
    Token token = new Token("https://mint.example.com/", "sat", "for the film", List.of(
        signedProof(1, V2_ID, k, true),
        signedProof(4, "00ad268c4d1f5826", k, false).withWitness("{\"signatures\":[]}"),
        signedProof(2, V2_ID, k, true)));
    assertEquals("https://mint.example.com", token.mint());
    Token back = Token.decode(token.encode());
    // V4 groups proofs by keyset, so compare as multisets
    assertEquals(token.amount(), back.amount());
    assertEquals(3, back.proofs().size());
    assertTrue(back.proofs().containsAll(token.proofs()));
    assertEquals(token.memo(), back.memo());
    assertEquals(back, Token.fromBytes(back.toBytes()));
    assertEquals(back, Token.decode("cashu:" + back.encode()));
    for (Proof p : back.proofs()) {
      if (p.dleq() != null) assertTrue(p.dleqValid(k.publicKey()));
    }
  }

  @Test
  void v3RoundTrip() throws Exception {
    Token token = new Token("http://localhost:3338", "sat", null, List.of(signedProof(8, V2_ID, Scalar.random(), true)));
    assertEquals(token, Token.decode(token.encodeV3()));
  }

  @Test
  void dleqCheckFailsForTheWrongKeyOrWithoutR() {
    Scalar k = Scalar.random();
    Proof p = signedProof(2, V2_ID, k, true);
    assertTrue(p.dleqValid(k.publicKey()));
    assertFalse(p.dleqValid(Scalar.random().publicKey()));
    assertFalse(new Proof(2, V2_ID, p.secret(), p.c(), p.dleq().withoutR(), null).dleqValid(k.publicKey()));
    assertFalse(p.withoutDleq().dleqValid(k.publicKey()));
  }

  @Test
  void shortKeysetIdsAreWrittenAndResolved() throws Exception {
    Token token = new Token("http://m", "sat", null, List.of(signedProof(1, V2_ID, Scalar.random(), false)));
    Token shortened = Token.decode(token.withShortKeysetIds().encode());
    assertTrue(shortened.hasShortKeysetIds());
    assertEquals("015ba18a8adcd02e", shortened.proofs().get(0).id());
    assertEquals(token, shortened.resolveKeysetIds(List.of("00ad268c4d1f5826", V2_ID)));
    // two full ids share the short prefix: NUT-00 says fail
    assertThrows(InvalidTokenException.class, () -> shortened.resolveKeysetIds(List.of(V2_ID, OTHER_V2_ID)));
    assertThrows(InvalidTokenException.class, () -> shortened.resolveKeysetIds(List.of("00ad268c4d1f5826")));
  }

  @Test
  void blsKeysetsAreRefusedWhenResolving() throws Exception {
    String bls = "02" + V2_ID.substring(2);
    Token token = new Token("http://m", "sat", null, List.of(signedProof(1, bls, Scalar.random(), false)));
    InvalidTokenException e = assertThrows(InvalidTokenException.class, () -> token.resolveKeysetIds(List.of(bls)));
    assertTrue(e.getMessage().contains("BLS"), e.getMessage());
  }

  @Test
  void malformedTokensAreRefused() {
    assertThrows(InvalidTokenException.class, () -> Token.decode("cashuC" + "AAAA"));
    assertThrows(InvalidTokenException.class, () -> Token.decode("cashuB!!!"));
    assertThrows(InvalidTokenException.class, () -> Token.decode("cashuB" + Base64Url.encode(new byte[] {(byte) 0xa1})));
    ObjectNode noProofs = Cbor.map();
    noProofs.putArray("t");
    noProofs.put("m", "http://m");
    noProofs.put("u", "sat");
    assertThrows(InvalidTokenException.class, () -> Token.decode("cashuB" + Base64Url.encode(Cbor.write(noProofs))));
    // an amount beyond a signed 64-bit long
    ObjectNode huge = Cbor.map();
    ObjectNode group = huge.putArray("t").addObject();
    group.put("i", new byte[] {0, 1, 2, 3, 4, 5, 6, 7});
    ObjectNode proof = group.putArray("p").addObject();
    proof.put("a", new java.math.BigInteger("9223372036854775808"));
    proof.put("s", "x");
    proof.put("c", Scalar.random().publicKey().compressed());
    huge.put("m", "http://m");
    huge.put("u", "sat");
    assertThrows(InvalidTokenException.class, () -> Token.decode("cashuB" + Base64Url.encode(Cbor.write(huge))));
  }

  @Test
  void toStringNeverShowsSecrets() {
    Proof p = signedProof(1, V2_ID, Scalar.random(), true);
    Token token = new Token("http://m", "sat", null, List.of(p));
    assertFalse(token.toString().contains(p.secret()));
    assertFalse(p.toString().contains(p.secret()));
    assertFalse(p.toString().contains(p.dleq().r()));
  }
}
