package archy.ecash.keyset;

import archy.nostr.Hex;

/** The version byte that opens every NUT-02 keyset id; it selects the id derivation and the NUT-13 secret derivation. */
public enum KeysetVersion {
  /** {@code 00} + 7 bytes of SHA-256 over the concatenated keys (deprecated, still in circulation). */
  V1("00", 16),
  /** {@code 01} + SHA-256 over "amount:key" pairs, unit, fee and expiry. */
  V2("01", 66);

  private final String prefix;
  private final int hexLength;

  KeysetVersion(String prefix, int hexLength) {
    this.prefix = prefix;
    this.hexLength = hexLength;
  }

  public String prefix() {
    return prefix;
  }

  /** Length of a full id of this version in hex characters. */
  public int hexLength() {
    return hexLength;
  }

  /** True when {@code id} is well-formed and of a version this code implements. */
  public static boolean isSupported(String id) {
    try {
      of(id);
      return true;
    } catch (InvalidKeysetException e) {
      return false;
    }
  }

  /**
   * The version of a full or short keyset id.
   *
   * @throws UnsupportedKeysetException for {@code 02…} (BLS) and any other unknown version byte
   * @throws InvalidKeysetException when {@code id} is not lowercase hex of a plausible length
   */
  public static KeysetVersion of(String id) throws InvalidKeysetException {
    if (id == null || id.length() < 16 || (id.length() & 1) != 0 || !Hex.isLowerHex(id, id.length())) {
      throw new InvalidKeysetException("keyset id must be lowercase hex, at least 8 bytes");
    }
    String prefix = id.substring(0, 2);
    for (KeysetVersion v : values()) {
      if (v.prefix.equals(prefix)) return v;
    }
    if (prefix.equals("02")) {
      throw new UnsupportedKeysetException("keyset " + id + " is a v3 (BLS12-381) keyset, which is not supported");
    }
    throw new UnsupportedKeysetException("keyset " + id + " has unknown version byte " + prefix);
  }
}
