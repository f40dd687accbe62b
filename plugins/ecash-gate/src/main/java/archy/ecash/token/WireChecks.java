package archy.ecash.token;

import archy.nostr.Hex;
import java.util.Locale;

/** Shape checks shared by the wire records, so a malformed message fails when parsed, not deep inside a swap. */
final class WireChecks {
  private WireChecks() {}

  /** Lowercased hex of exactly {@code length} characters. */
  static String hex(String value, int length, String what) {
    if (value == null) throw new IllegalArgumentException(what + " is missing");
    String lower = value.toLowerCase(Locale.ROOT);
    if (!Hex.isLowerHex(lower, length)) {
      throw new IllegalArgumentException(what + " must be " + length + " hex characters");
    }
    return lower;
  }

  /** A keyset id as it may appear on the wire (full or short), lowercased; whole bytes of hex. */
  static String keysetId(String id) {
    if (id == null) throw new IllegalArgumentException("keyset id is missing");
    String lower = id.toLowerCase(Locale.ROOT);
    if (lower.length() < 2 || (lower.length() & 1) != 0 || !Hex.isLowerHex(lower, lower.length())) {
      throw new IllegalArgumentException("keyset id must be hex");
    }
    return lower;
  }
}
