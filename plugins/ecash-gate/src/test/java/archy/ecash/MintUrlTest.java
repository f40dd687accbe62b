package archy.ecash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class MintUrlTest {
  @Test
  void normalizesToOneSpelling() {
    assertEquals("https://mint.example.com", MintUrl.normalize("HTTPS://Mint.Example.com/"));
    assertEquals("https://mint.example.com", MintUrl.normalize("https://mint.example.com:443//"));
    assertEquals("http://127.0.0.1:3338/cashu", MintUrl.normalize("http://127.0.0.1:3338/cashu/"));
    assertEquals("https://8333.space:3338", MintUrl.normalize(" https://8333.space:3338 "));
  }

  @Test
  void refusesWhatIsNotAMintUrl() {
    for (String bad : new String[] {"ftp://x", "mint.example.com", "https://x/?a=1", "https://x/#f", "https://u@x", "http://"}) {
      assertThrows(IllegalArgumentException.class, () -> MintUrl.normalize(bad), bad);
    }
  }
}
