package archy.nostr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class KeysTest {
  // NIP-19's nsec example and its hex form.
  private static final String NSEC = "nsec1vl029mgpspedva04g90vltkh6fvh240zqtv9k0t9af8935ke9laqsnlfe5";
  private static final String SECRET = "67dea2ed018072d675f5415ecfaed7d2597555e202d85b3d65ea4e58d2d92ffa";

  @Test
  void parsesHexAndNsecToTheSamePair() {
    Keys fromNsec = Keys.parse(NSEC);
    assertEquals(SECRET, fromNsec.secretHex());
    assertEquals(fromNsec, Keys.parse(SECRET));
    assertEquals(fromNsec, Keys.parse("  " + SECRET.toUpperCase() + "\n"));
    assertEquals(Hex.encode(new BouncySchnorr().publicKey(Hex.decode(SECRET))), fromNsec.publicKeyHex());
    assertEquals(new Nip19.Pubkey(fromNsec.publicKeyHex()), Nip19.decode(fromNsec.npub()));
  }

  @Test
  void generatesDistinctUsablePairs() {
    Keys a = Keys.generate(), b = Keys.generate();
    assertNotEquals(a.secretHex(), b.secretHex());
    assertEquals(a, Keys.parse(a.secretHex()));
  }

  @Test
  void refusesWhatIsNotASecretKey() {
    assertEquals("expected a secret key as 64 hex characters or nsec1…",
        assertThrows(IllegalArgumentException.class, () -> Keys.parse("abc")).getMessage());
    assertThrows(IllegalArgumentException.class, () -> Keys.parse("0".repeat(64)));
    assertThrows(IllegalArgumentException.class,
        () -> Keys.parse("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")); // the group order
    assertThrows(IllegalArgumentException.class, () -> Keys.parse(NSEC.substring(0, NSEC.length() - 1) + "6"));
    Keys other = Keys.generate();
    assertEquals("public key does not belong to the secret key",
        assertThrows(IllegalArgumentException.class, () -> new Keys(SECRET, other.publicKeyHex())).getMessage());
  }

  @Test
  void toStringLeavesTheSecretOut() {
    Keys keys = Keys.parse(SECRET);
    assertFalse(keys.toString().contains(SECRET));
    assertFalse(Nip19.decode(NSEC).toString().contains(SECRET));
  }

  @Test
  void publicKeysReadAsHexOrNpub() {
    Keys k = Keys.generate();
    org.junit.jupiter.api.Assertions.assertEquals(k.publicKeyHex(), Keys.parsePublicKey(k.npub()));
    org.junit.jupiter.api.Assertions.assertEquals(k.publicKeyHex(), Keys.parsePublicKey(" " + k.publicKeyHex().toUpperCase() + " "));
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Keys.parsePublicKey("npub1xyz"));
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Keys.parsePublicKey("abc"));
  }
}
