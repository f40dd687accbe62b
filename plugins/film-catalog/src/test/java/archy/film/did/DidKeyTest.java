package archy.film.did;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.film.event.CreatorStatement;
import archy.nostr.Hex;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.security.SecureRandom;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.junit.jupiter.api.Test;

/** did:key parsing and Ed25519 verification against published vectors, then round trips with fresh keys. */
class DidKeyTest {
  @Test
  void w3cDidKeyVectors() throws Exception {
    JsonNode vectors;
    try (InputStream in = getClass().getResourceAsStream("/did-key-ed25519-vectors.json")) {
      vectors = new ObjectMapper().readTree(in);
    }
    int checked = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = vectors.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> v = it.next();
      if (!v.getKey().startsWith("did:key:")) continue;
      byte[] seed = Hex.decode(v.getValue().path("seed").asText());
      byte[] publicKey = new Ed25519PrivateKeyParameters(seed, 0).generatePublicKey().getEncoded();
      String base58 = v.getValue().path("verificationKeyPair").path("publicKeyBase58").asText();
      assertEquals(base58, Base58.encode(publicKey), "publicKeyBase58 of seed " + v.getValue().path("seed").asText());
      assertArrayEquals(publicKey, Base58.decode(base58));
      assertEquals(v.getKey(), DidKey.of(publicKey).did());
      assertArrayEquals(publicKey, DidKey.parse(v.getKey()).publicKey());
      checked++;
    }
    assertEquals(5, checked);
  }

  /** RFC 8032 §7.1 TEST 1 and TEST 2: the verifier behind did:key is plain Ed25519. */
  @Test
  void rfc8032Vectors() {
    record Vector(String publicKey, String message, String signature) {}
    for (Vector v : List.of(
        new Vector("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"),
        new Vector("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
            "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"))) {
      DidKey key = DidKey.parse(DidKey.of(Hex.decode(v.publicKey())).did());
      assertTrue(key.verify(Hex.decode(v.message()), Hex.decode(v.signature())));
      assertFalse(key.verify(Hex.decode(v.message() + "00"), Hex.decode(v.signature())), "another message");
      byte[] flipped = Hex.decode(v.signature());
      flipped[5] ^= 1;
      assertFalse(key.verify(Hex.decode(v.message()), flipped), "a damaged signature");
    }
  }

  @Test
  void refusesWhatIsNotAnEd25519DidKey() {
    // The did:key spec's secp256k1 example (multicodec 0xe7): a real did:key, but not Ed25519.
    assertThrows(IllegalArgumentException.class,
        () -> DidKey.parse("did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme"));
    assertThrows(IllegalArgumentException.class, () -> DidKey.parse("did:web:example.com"));
    assertThrows(IllegalArgumentException.class, () -> DidKey.parse("did:key:z6Mk0OIl"), "0, O, I, l are not base58");
    assertThrows(IllegalArgumentException.class, () -> DidKey.parse("did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDoo"),
        "truncated key");
    assertThrows(IllegalArgumentException.class, () -> DidKey.parse(null));
  }

  @Test
  void signAndVerifyTheCreatorStatementWithFreshKeys() {
    SecureRandom random = new SecureRandom();
    for (int i = 0; i < 20; i++) {
      Ed25519PrivateKeyParameters secret = new Ed25519PrivateKeyParameters(random);
      DidKey did = DidKey.parse(DidKey.of(secret.generatePublicKey().getEncoded()).did());
      assertTrue(did.did().startsWith("did:key:z6Mk"), did.did());
      String text = CreatorStatement.text("film-" + i, "Title " + i, 60 + i, null, "blake3:" + "ab".repeat(32),
          List.of("blake3:" + "cd".repeat(32)));
      byte[] digest = CreatorStatement.digest(text);
      Ed25519Signer signer = new Ed25519Signer();
      signer.init(true, secret);
      signer.update(digest, 0, digest.length);
      byte[] signature = signer.generateSignature();
      assertTrue(did.verify(digest, signature));
      assertFalse(did.verify(CreatorStatement.digest(text + "\n"), signature), "a trailing newline changes the text");
    }
  }

  @Test
  void creatorStatementLayout() {
    assertEquals("archy-film/v1\nfilm\nTitle\n5400\n\nblake3:aa\nblake3:s1\nblake3:s2",
        CreatorStatement.text("film", "Title", 5400, null, "blake3:aa", List.of("blake3:s1", "blake3:s2")));
  }

  @Test
  void base58KeepsLeadingZeros() {
    byte[] bytes = {0, 0, 1, 2, (byte) 0xff};
    assertEquals("11", Base58.encode(new byte[] {0, 0}));
    assertArrayEquals(bytes, Base58.decode(Base58.encode(bytes)));
    assertEquals("", Base58.encode(new byte[0]));
  }
}
