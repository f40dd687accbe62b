package archy.ecash.keyset;

import archy.ecash.crypto.Digests;
import archy.ecash.crypto.Point;
import archy.nostr.Hex;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * NUT-02 keyset ids: derivation from public keys (so a wallet can check what a mint claims) and the short form
 * used inside tokens (the first 8 bytes), which receivers must resolve against the mint's full ids.
 */
public final class KeysetId {
  /** Hex length of a short id: 8 bytes. For v1 keysets the short id is the full id. */
  public static final int SHORT_HEX_LENGTH = 16;

  private KeysetId() {}

  /** v1: {@code "00" + hex(SHA256(K_1 || K_2 || …))[0:14]} over compressed keys by ascending amount. */
  public static String deriveV1(SortedMap<BigInteger, Point> keys) {
    MessageDigest sha = Digests.sha256();
    for (Point key : keys.values()) sha.update(key.compressed());
    return KeysetVersion.V1.prefix() + Hex.encode(sha.digest()).substring(0, 14);
  }

  /**
   * v2: {@code "01" + hex(SHA256("1:<K_1>,2:<K_2>,…|unit:<unit>[|input_fee_ppk:<n>][|final_expiry:<t>]"))}; the fee
   * is left out when zero, the expiry when absent or zero.
   */
  public static String deriveV2(SortedMap<BigInteger, Point> keys, String unit, long inputFeePpk, Long finalExpiry) {
    StringBuilder preimage = new StringBuilder(keys.size() * 80);
    for (Map.Entry<BigInteger, Point> e : keys.entrySet()) {
      if (preimage.length() > 0) preimage.append(',');
      preimage.append(e.getKey()).append(':').append(e.getValue().toHex());
    }
    preimage.append("|unit:").append(unit);
    if (inputFeePpk != 0) preimage.append("|input_fee_ppk:").append(inputFeePpk);
    if (finalExpiry != null && finalExpiry != 0) preimage.append("|final_expiry:").append(finalExpiry);
    byte[] hash = Digests.sha256(preimage.toString().getBytes(StandardCharsets.UTF_8));
    return KeysetVersion.V2.prefix() + Hex.encode(hash);
  }

  /** The first 8 bytes of an id, as written into {@code cashuB} tokens. */
  public static String shortId(String id) {
    return id.length() <= SHORT_HEX_LENGTH ? id : id.substring(0, SHORT_HEX_LENGTH);
  }

  /** True when {@code id} is a v2 id cut to its short form (a v1 id is never "short": its full form is 8 bytes). */
  public static boolean isShort(String id) {
    return id.length() == SHORT_HEX_LENGTH && !id.startsWith(KeysetVersion.V1.prefix());
  }

  /**
   * Resolves a full or short id against the full ids a mint publishes. A full id must be among them; a short id
   * must be the prefix of exactly one (NUT-00: an ambiguous short id fails the token).
   *
   * @throws InvalidKeysetException when no id matches or more than one does
   * @throws UnsupportedKeysetException when {@code id} is of an unsupported version
   */
  public static String resolve(String id, Collection<String> fullIds) throws InvalidKeysetException {
    KeysetVersion.of(id);
    List<String> matches = new ArrayList<>(1);
    for (String full : fullIds) {
      if (full.equals(id) || (isShort(id) && full.length() > id.length() && full.startsWith(id))) {
        if (!matches.contains(full)) matches.add(full);
      }
    }
    if (matches.isEmpty()) throw new InvalidKeysetException("keyset " + id + " is not known to the mint");
    if (matches.size() > 1) throw new InvalidKeysetException("short keyset id " + id + " is ambiguous");
    return matches.get(0);
  }
}
