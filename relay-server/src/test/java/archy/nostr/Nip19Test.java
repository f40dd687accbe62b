package archy.nostr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * NIP-19 against the examples in nostr-protocol/nips {@code 19.md} and the naddr/nevent strings that
 * nbd-wtf/nostr-tools tests with ({@code nip19.test.ts}: habla.news, go-nostr ordering, a malformed nevent).
 */
class Nip19Test {
  @Test
  void nip19Examples() {
    assertRoundTrip("npub180cvv07tjdrrgpa0j7j7tmnyl2yr6yr7l8j4s3evf6u64th6gkwsyjh6w6",
        new Nip19.Pubkey("3bf0c63fcb93463407af97a5e5ee64fa883d107ef9e558472c4eb9aaaefa459d"));
    assertRoundTrip("npub10elfcs4fr0l0r8af98jlmgdh9c8tcxjvz9qkw038js35mp4dma8qzvjptg",
        new Nip19.Pubkey("7e7e9c42a91bfef19fa929e5fda1b72e0ebc1a4c1141673e2794234d86addf4e"));
    assertRoundTrip("nsec1vl029mgpspedva04g90vltkh6fvh240zqtv9k0t9af8935ke9laqsnlfe5",
        new Nip19.SecretKey("67dea2ed018072d675f5415ecfaed7d2597555e202d85b3d65ea4e58d2d92ffa"));
    assertRoundTrip("nprofile1qqsrhuxx8l9ex335q7he0f09aej04zpazpl0ne2cgukyawd24mayt8gpp4mhxue69uhhytnc9e3k7mgpz4mhxue69uhkg6nzv9ejuumpv34kytnrdaksjlyr9p",
        new Nip19.Profile("3bf0c63fcb93463407af97a5e5ee64fa883d107ef9e558472c4eb9aaaefa459d",
            List.of("wss://r.x.com", "wss://djbas.sadkb.com")));
  }

  @Test
  void naddrFromHablaNews() {
    assertRoundTrip("naddr1qq98yetxv4ex2mnrv4esygrl54h466tz4v0re4pyuavvxqptsejl0vxcmnhfl60z3rth2xkpjspsgqqqw4rsf34vl5",
        new Nip19.Address("references", "7fa56f5d6962ab1e3cd424e758c3002b8665f7b0d8dcee9fe9e288d7751ac194", 30023,
            List.of()));
  }

  @Test
  void naddrWithAnotherTlvOrderDecodes() {
    Nip19.Entity decoded = Nip19.decode(
        "naddr1qqrxyctwv9hxzq3q80cvv07tjdrrgpa0j7j7tmnyl2yr6yr7l8j4s3evf6u64th6gkwsxpqqqp65wqfwwaehxw309aex2mrp0yhxummnw3ezuetcv9khqmr99ekhjer0d4skjm3wv4uxzmtsd3jjucm0d5q3vamnwvaz7tmwdaehgu3wvfskuctwvyhxxmmd0zfmwx");
    Nip19.Address address = assertInstanceOf(Nip19.Address.class, decoded);
    assertEquals("banana", address.identifier());
    assertEquals("3bf0c63fcb93463407af97a5e5ee64fa883d107ef9e558472c4eb9aaaefa459d", address.pubkey());
    assertEquals(30023, address.kind());
    assertTrue(address.relays().contains("wss://relay.nostr.example.mydomain.example.com"));
    assertTrue(address.relays().contains("wss://nostr.banana.com"));
    assertEquals(address, Nip19.decode(Nip19.encode(address)));
  }

  @Test
  void naddrRoundTrip() {
    Nip19.Address address = new Nip19.Address("my-article ✍", "7e7e9c42a91bfef19fa929e5fda1b72e0ebc1a4c1141673e2794234d86addf4e",
        30023, List.of("wss://relay.example.com", "wss://nos.lol"));
    String naddr = Nip19.encode(address);
    assertTrue(naddr.startsWith("naddr1"));
    assertEquals(address, Nip19.decode(naddr));
    Nip19.Address replaceable = new Nip19.Address("", address.pubkey(), 10002, List.of());
    assertEquals(replaceable, Nip19.decode(Nip19.encode(replaceable)));
  }

  @Test
  void neventRoundTrip() {
    assertRoundTrip("nevent1qqst8cujky046negxgwwm5ynqwn53t8aqjr6afd8g59nfqwxpdhylpcpzamhxue69uhhyetvv9ujuetcv9khqmr99e3k7mg8arnc9",
        new Nip19.EventPointer("b3e392b11f5d4f28321cedd09303a748acfd0487aea5a7450b3481c60b6e4f87", List.of("wss://relay.example.com"),
            null, null));
    Nip19.EventPointer full = new Nip19.EventPointer("b3e392b11f5d4f28321cedd09303a748acfd0487aea5a7450b3481c60b6e4f87",
        List.of(), "7e7e9c42a91bfef19fa929e5fda1b72e0ebc1a4c1141673e2794234d86addf4e", 1);
    assertEquals(full, Nip19.decode(Nip19.encode(full)));
  }

  @Test
  void noteRoundTrip() {
    Nip19.Note note = new Nip19.Note("b3e392b11f5d4f28321cedd09303a748acfd0487aea5a7450b3481c60b6e4f87");
    assertEquals(note, Nip19.decode(Nip19.encode(note)));
  }

  @Test
  void unknownTlvTypesAreSkipped() {
    byte[] pubkey = Hex.decode("3bf0c63fcb93463407af97a5e5ee64fa883d107ef9e558472c4eb9aaaefa459d");
    byte[] tlv = new byte[2 + 3 + 2 + 32];
    tlv[0] = 9; tlv[1] = 3; // an unknown type 9 with 3 bytes of value, before the pubkey
    tlv[5] = 0; tlv[6] = 32;
    System.arraycopy(pubkey, 0, tlv, 7, 32);
    assertEquals(new Nip19.Profile(Hex.encode(pubkey), List.of()), Nip19.decode(Bech32.encode("nprofile", tlv)));
  }

  @Test
  void upperCaseIsAccepted() {
    assertEquals(new Nip19.Pubkey("3bf0c63fcb93463407af97a5e5ee64fa883d107ef9e558472c4eb9aaaefa459d"),
        Nip19.decode("NPUB180CVV07TJDRRGPA0J7J7TMNYL2YR6YR7L8J4S3EVF6U64TH6GKWSYJH6W6"));
  }

  @Test
  void badInputIsRefusedWithAClearMessage() {
    assertEquals("bad bech32 checksum", message("npub180cvv07tjdrrgpa0j7j7tmnyl2yr6yr7l8j4s3evf6u64th6gkwsyjh6w7"));
    assertEquals("nevent has a truncated TLV record", message("nevent1qq5v4rkz"));
    assertEquals("npub must be 32 bytes, not 31", message(Bech32.encode("npub", new byte[31])));
    assertEquals("unknown NIP-19 prefix 'nfoo'", message(Bech32.encode("nfoo", new byte[32])));
    byte[] identifierAndAuthorOnly = new byte[3 + 2 + 32];
    identifierAndAuthorOnly[0] = 0; identifierAndAuthorOnly[1] = 1; identifierAndAuthorOnly[2] = 'x';
    identifierAndAuthorOnly[3] = 2; identifierAndAuthorOnly[4] = 32;
    assertEquals("naddr is missing its kind", message(Bech32.encode("naddr", identifierAndAuthorOnly)));
    assertEquals("NIP-19 string is longer than 5000 characters", message("npub1" + "q".repeat(5000)));
  }

  private static String message(String bech32) {
    return assertThrows(IllegalArgumentException.class, () -> Nip19.decode(bech32)).getMessage();
  }

  private static void assertRoundTrip(String bech32, Nip19.Entity entity) {
    assertEquals(entity, Nip19.decode(bech32));
    assertEquals(bech32, Nip19.encode(entity));
  }
}
