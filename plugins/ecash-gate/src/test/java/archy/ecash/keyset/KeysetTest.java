package archy.ecash.keyset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeysetTest {
  private static final Map<String, String> KEYS = Map.of(
      "1", "03a40f20667ed53513075dc51e715ff2046cad64eb68960632269ba7f0210e38bc",
      "2", "03fd4ce5a16b65576145949e6f99f445f8249fee17c606b688b504a849cdc452de",
      "4", "02648eccfa4c026960966276fa5a4cae46ce0fd432211a4f449bf84f13aa5f8303",
      "8", "02fdfd6796bfeac490cbee12f778f867f0a2c68f6508d17c649759ea0dc3547528");

  @Test
  void versionsAreRecognisedAndBlsIsRefusedExplicitly() throws Exception {
    assertEquals(KeysetVersion.V1, KeysetVersion.of("00456a94ab4e1c46"));
    assertEquals(KeysetVersion.V2, KeysetVersion.of("015ba18a8adcd02e"));
    UnsupportedKeysetException bls = assertThrows(UnsupportedKeysetException.class, () -> KeysetVersion.of("02aabbccddeeff0011"));
    assertTrue(bls.getMessage().contains("BLS12-381"));
    assertThrows(UnsupportedKeysetException.class, () -> KeysetVersion.of("09aabbccddeeff00"));
    assertThrows(InvalidKeysetException.class, () -> KeysetVersion.of("I2Y6QbsnMaMV")); // pre-0.15 base64 ids
    assertThrows(UnsupportedKeysetException.class, () -> Keyset.parse("02" + "ab".repeat(32), "sat", true, 0, null, KEYS));
  }

  @Test
  void aMismatchedIdIsRefused() {
    InvalidKeysetException e = assertThrows(InvalidKeysetException.class,
        () -> Keyset.parse("00456a94ab4e1c47", "sat", true, 0, null, KEYS));
    assertTrue(e.getMessage().contains("00456a94ab4e1c46"));
  }

  @Test
  void amountsMustBeCanonicalPositiveAndBelowTwoToThe64() {
    for (String bad : List.of("0", "-1", "01", "1.0", "+1", "18446744073709551616", "")) {
      assertThrows(InvalidKeysetException.class,
          () -> Keyset.parseKeys(Map.of(bad, KEYS.get("1"))), bad);
    }
  }

  @Test
  void splitUsesTheKeysetsDenominationsInAscendingOrder() throws Exception {
    Keyset keyset = Keyset.parse("00456a94ab4e1c46", "sat", true, 0, null, KEYS);
    assertEquals(List.of(1L, 4L, 8L, 8L), keyset.split(21));
    assertThrows(IllegalArgumentException.class, () -> keyset.split(0));
    assertTrue(keyset.key(16).isEmpty());
    assertThrows(IllegalArgumentException.class, () -> keyset.publicKey(16));
  }

  @Test
  void feesAreSummedPerInputAndRoundedUpOnce() {
    KeysetInfo a = new KeysetInfo("00aa", "sat", true, 100, null);
    KeysetInfo b = new KeysetInfo("00bb", "sat", false, 0, null);
    Map<String, KeysetInfo> keysets = Map.of("00aa", a, "00bb", b);
    assertEquals(1, Fees.inputFee(List.of("00aa"), keysets));
    assertEquals(1, Fees.inputFee(List.of("00aa", "00aa", "00aa", "00aa", "00aa", "00aa", "00aa", "00aa", "00aa", "00aa"), keysets));
    assertEquals(2, Fees.inputFee(java.util.Collections.nCopies(11, "00aa"), keysets));
    assertEquals(0, Fees.inputFee(List.of("00bb", "00bb"), keysets));
    assertThrows(IllegalArgumentException.class, () -> Fees.inputFee(List.of("00cc"), keysets));
  }

  @Test
  void expiry() {
    assertFalse(new KeysetInfo("00aa", "sat", true, 0, null).expired(Long.MAX_VALUE));
    assertTrue(new KeysetInfo("00aa", "sat", true, 0, 100L).expired(100));
    assertFalse(new KeysetInfo("00aa", "sat", true, 0, 100L).expired(99));
  }
}
