package archy.film.http;

import archy.film.index.CatalogReader.After;
import archy.nostr.Hex;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** The opaque {@code cursor} of the catalog API: base64url of {@code <created_at>:<event id>} of the last entry. */
final class CatalogCursor {
  private CatalogCursor() {}

  static String encode(After after) {
    String raw = after.createdAt() + ":" + after.eventId();
    return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.US_ASCII));
  }

  /** @throws IllegalArgumentException for anything this class did not produce */
  static After decode(String cursor) {
    String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
    int colon = raw.indexOf(':');
    if (colon <= 0 || !Hex.isLowerHex(raw.substring(colon + 1), 64)) throw new IllegalArgumentException("bad cursor");
    return new After(Long.parseLong(raw.substring(0, colon)), raw.substring(colon + 1));
  }
}
