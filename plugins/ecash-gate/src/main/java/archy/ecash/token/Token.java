package archy.ecash.token;

import archy.ecash.encoding.Base64Url;
import archy.ecash.keyset.InvalidKeysetException;
import archy.ecash.keyset.KeysetId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Ecash from one mint in one unit, as sent between users (NUT-00). Decodes {@code cashuB} (V4, CBOR) and
 * {@code cashuA} (V3, JSON; single-mint only), with or without a {@code cashu:} URI prefix and base64 padding,
 * and the binary {@code craw} form; encodes V4 (the default), V3 and binary.
 *
 * <p>Keyset ids are kept as they arrived: V4 tokens often carry short ids (8 bytes) for v2 keysets, which must be
 * resolved against the mint's keysets with {@link #resolveKeysetIds(Collection)} before the proofs go anywhere.
 * A decoded token has only been parsed: nothing about it is verified.
 */
public record Token(String mint, String unit, String memo, List<Proof> proofs) {
  static final String V3_PREFIX = "cashuA";
  static final String V4_PREFIX = "cashuB";
  private static final String URI_PREFIX = "cashu:";

  public Token {
    if (mint == null || mint.isBlank()) throw new IllegalArgumentException("token mint is missing");
    int end = mint.length();
    while (end > 0 && mint.charAt(end - 1) == '/') end--; // NUT-00: mint URLs without trailing slashes
    mint = mint.substring(0, end);
    if (unit == null || unit.isEmpty()) throw new IllegalArgumentException("token unit is missing");
    if (proofs == null || proofs.isEmpty()) throw new IllegalArgumentException("token has no proofs");
    proofs = List.copyOf(proofs);
  }

  /**
   * Decodes a serialized token.
   *
   * @throws InvalidTokenException for an unknown prefix, bad base64, malformed CBOR/JSON, missing fields, a
   *     multi-mint V3 token, or amounts that do not fit a {@code long}
   */
  public static Token decode(String serialized) throws InvalidTokenException {
    if (serialized == null) throw new InvalidTokenException("no token");
    String s = serialized.strip();
    if (s.regionMatches(true, 0, URI_PREFIX, 0, URI_PREFIX.length())) s = s.substring(URI_PREFIX.length());
    if (s.startsWith(V4_PREFIX)) return TokenV4.decode(base64(s.substring(V4_PREFIX.length())));
    if (s.startsWith(V3_PREFIX)) return TokenV3.decode(base64(s.substring(V3_PREFIX.length())));
    throw new InvalidTokenException("not a Cashu token: expected the prefix cashuA or cashuB");
  }

  /** Decodes the binary form {@code "craw" || "B" || CBOR} (NUT-00 raw token serialization). */
  public static Token fromBytes(byte[] raw) throws InvalidTokenException {
    if (raw == null || raw.length < 5 || raw[0] != 'c' || raw[1] != 'r' || raw[2] != 'a' || raw[3] != 'w') {
      throw new InvalidTokenException("not a binary Cashu token: expected the prefix craw");
    }
    if (raw[4] != 'B') throw new InvalidTokenException("unsupported binary token version " + (char) raw[4]);
    return TokenV4.decode(Arrays.copyOfRange(raw, 5, raw.length));
  }

  /** {@code cashuB…}: V4, CBOR, base64url without padding. */
  public String encode() {
    return V4_PREFIX + Base64Url.encode(TokenV4.encode(this));
  }

  /** {@code cashuA…}: the deprecated V3 JSON form, for wallets that read nothing newer. */
  public String encodeV3() {
    return V3_PREFIX + Base64Url.encode(TokenV3.encode(this));
  }

  /** {@code "craw" || "B" || CBOR}. */
  public byte[] toBytes() {
    byte[] cbor = TokenV4.encode(this);
    byte[] out = new byte[5 + cbor.length];
    out[0] = 'c';
    out[1] = 'r';
    out[2] = 'a';
    out[3] = 'w';
    out[4] = 'B';
    System.arraycopy(cbor, 0, out, 5, cbor.length);
    return out;
  }

  /** Sum of the proof amounts. @throws ArithmeticException when it overflows a {@code long} */
  public long amount() {
    long sum = 0;
    for (Proof p : proofs) sum = Math.addExact(sum, p.amount());
    return sum;
  }

  /** The distinct keyset ids of the proofs, in order of first appearance. */
  public Set<String> keysetIds() {
    Set<String> ids = new LinkedHashSet<>();
    for (Proof p : proofs) ids.add(p.id());
    return ids;
  }

  /** True when some proof carries a short (8-byte) v2 keyset id that needs {@link #resolveKeysetIds}. */
  public boolean hasShortKeysetIds() {
    for (Proof p : proofs) if (KeysetId.isShort(p.id())) return true;
    return false;
  }

  /**
   * Replaces every keyset id by the full id it names among {@code mintKeysetIds} (the ids from the mint's
   * {@code /v1/keysets}).
   *
   * @throws InvalidTokenException when an id is unknown, a short id is ambiguous, or a version is unsupported
   */
  public Token resolveKeysetIds(Collection<String> mintKeysetIds) throws InvalidTokenException {
    List<Proof> resolved = new ArrayList<>(proofs.size());
    for (Proof p : proofs) {
      try {
        resolved.add(p.withId(KeysetId.resolve(p.id(), mintKeysetIds)));
      } catch (InvalidKeysetException e) {
        throw new InvalidTokenException(e.getMessage());
      }
    }
    return new Token(mint, unit, memo, resolved);
  }

  /** The same token with v2 keyset ids cut to their short form, as cashu-ts writes them (25 bytes saved per keyset). */
  public Token withShortKeysetIds() {
    List<Proof> shortened = new ArrayList<>(proofs.size());
    for (Proof p : proofs) shortened.add(p.withId(KeysetId.shortId(p.id())));
    return new Token(mint, unit, memo, shortened);
  }

  private static byte[] base64(String payload) throws InvalidTokenException {
    try {
      return Base64Url.decode(payload);
    } catch (IllegalArgumentException e) {
      throw new InvalidTokenException("token is not valid base64url");
    }
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "Token[mint=%s, unit=%s, proofs=%d, secrets redacted]", mint, unit, proofs.size());
  }
}
