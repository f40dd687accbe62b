package archy.ecash.encoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import archy.nostr.Hex;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CborTest {
  @Test
  void mapsArraysAndStringsHaveDefiniteLengthsInInsertionOrder() {
    ObjectNode map = Cbor.map();
    map.put("b", 1);
    map.putArray("a").add("x");
    // a2: a map of two; "b" first because it was put first; 81: an array of one
    assertEquals("a26162016161816178", Hex.encode(Cbor.write(map)));
    ObjectNode longText = Cbor.map();
    longText.put("s", "x".repeat(10_000));
    byte[] bytes = Cbor.write(longText);
    assertEquals(0x79, bytes[3] & 0xff, "text string with a 2-byte length, not indefinite chunks");
    assertEquals(longText, Cbor.read(bytes));
  }

  @Test
  void readRejectsTrailingBytesAndGarbage() throws Exception {
    ObjectNode map = Cbor.map();
    map.put("k", new byte[] {1, 2});
    byte[] ok = Cbor.write(map);
    assertArrayEquals(new byte[] {1, 2}, Cbor.read(ok).get("k").binaryValue());
    byte[] trailing = Arrays.copyOf(ok, ok.length + 1);
    assertThrows(IllegalArgumentException.class, () -> Cbor.read(trailing));
    assertThrows(IllegalArgumentException.class, () -> Cbor.read(new byte[0]));
    assertThrows(IllegalArgumentException.class, () -> Cbor.read(new byte[] {(byte) 0xbf}));
  }

  @Test
  void base64UrlAcceptsPaddingAndTheStandardAlphabet() {
    byte[] data = {(byte) 0xfb, (byte) 0xff, 0x01};
    assertEquals("-_8B", Base64Url.encode(data));
    assertArrayEquals(data, Base64Url.decode("-_8B"));
    assertArrayEquals(data, Base64Url.decode("+/8B"));
    assertArrayEquals(new byte[] {1}, Base64Url.decode("AQ=="));
    assertArrayEquals(new byte[] {1}, Base64Url.decode("AQ"));
  }
}
