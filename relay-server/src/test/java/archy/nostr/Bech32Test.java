package archy.nostr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The BIP-173 test vectors (bitcoin/bips bip-0173.mediawiki, "Test vectors"), verbatim. */
class Bech32Test {
  @ParameterizedTest
  @ValueSource(strings = {
      "A12UEL5L",
      "a12uel5l",
      "an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs",
      "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
      "11qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqc8247j",
      "split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w",
      "?1ezyfcl",
  })
  void validStringsDecodeAndEncodeBack(String s) {
    Bech32.Decoded d = Bech32.decode(s);
    assertEquals(s.toLowerCase(Locale.ROOT), Bech32.encode(d.hrp(), d.data()));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "\u00201nwldj5",
      "\u007f1axkwrx",
      "\u00801eym55h",
      "pzry9x0s0muk",
      "1pzry9x0s0muk",
      "x1b4n0q5v",
      "li1dgmt3",
      "de1lg7wt\u00ff",
      "A1G7SGD8",
      "10a06t8",
      "1qzzfhee",
  })
  void invalidStringsAreRefused(String s) {
    assertThrows(IllegalArgumentException.class, () -> Bech32.decode(s));
  }

  /** BIP-173 refuses this only for its length; NIP-19 entities may be longer, so we accept it on purpose. */
  @Test
  void longerThanNinetyCharactersIsAccepted() {
    String s = "an84characterslonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1569pvx";
    assertEquals("an84characterslonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio",
        Bech32.decode(s).hrp());
  }

  @Test
  void messagesSayWhatIsWrong() {
    String npub = "npub180cvv07tjdrrgpa0j7j7tmnyl2yr6yr7l8j4s3evf6u64th6gkwsyjh6w6"; // NIP-19's first example
    String lastCharChanged = npub.substring(0, npub.length() - 1) + (npub.endsWith("6") ? "7" : "6");
    assertEquals("bad bech32 checksum",
        assertThrows(IllegalArgumentException.class, () -> Bech32.decode(lastCharChanged)).getMessage());
    assertEquals("bech32 string mixes upper and lower case",
        assertThrows(IllegalArgumentException.class, () -> Bech32.decode("N" + npub.substring(1))).getMessage());
    assertEquals("bech32 string has an invalid character 'b'",
        assertThrows(IllegalArgumentException.class, () -> Bech32.decode(npub.replace('y', 'b'))).getMessage());
  }
}
