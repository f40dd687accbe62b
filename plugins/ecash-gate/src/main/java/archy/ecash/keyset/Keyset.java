package archy.ecash.keyset;

import archy.ecash.crypto.Point;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A mint keyset with its public keys (NUT-01): one key per amount. Amounts are {@link BigInteger} because valid
 * keysets reach 2^63 (one past {@code Long.MAX_VALUE}, per the NUT-01 vectors); proofs and outputs use
 * {@code long} amounts, so keys above {@code Long.MAX_VALUE} are kept but can never sign a usable proof.
 */
public record Keyset(String id, String unit, boolean active, long inputFeePpk, Long finalExpiry,
                     SortedMap<BigInteger, Point> keys) {
  /** Amounts are unsigned 64-bit integers on the wire. */
  private static final BigInteger MAX_AMOUNT = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

  public Keyset {
    if (id == null || unit == null || keys == null || keys.isEmpty()) {
      throw new IllegalArgumentException("a keyset needs an id, a unit and at least one key");
    }
    keys = Collections.unmodifiableSortedMap(new TreeMap<>(keys));
  }

  /**
   * Builds a keyset from its JSON fields and checks it: the id's version is supported, every key is a compressed
   * point, every amount a canonical positive integer below 2^64, and the id matches the keys (NUT-02: wallets
   * SHOULD recompute it; a mismatch means the mint, or someone between, is lying about which keys these are).
   */
  public static Keyset parse(String id, String unit, boolean active, long inputFeePpk, Long finalExpiry,
                             Map<String, String> keys) throws InvalidKeysetException {
    KeysetVersion.of(id);
    Keyset keyset = new Keyset(id, unit, active, inputFeePpk, finalExpiry, parseKeys(keys));
    if (!keyset.idMatchesKeys()) {
      throw new InvalidKeysetException("keyset id " + id + " does not match its keys (derived " + keyset.derivedId() + ")");
    }
    return keyset;
  }

  /** Parses the NUT-01 {@code keys} map of decimal amounts to compressed hex keys. */
  public static SortedMap<BigInteger, Point> parseKeys(Map<String, String> keys) throws InvalidKeysetException {
    if (keys == null || keys.isEmpty()) throw new InvalidKeysetException("keyset has no keys");
    SortedMap<BigInteger, Point> out = new TreeMap<>();
    for (Map.Entry<String, String> e : keys.entrySet()) {
      BigInteger amount = parseAmount(e.getKey());
      Point key;
      try {
        key = Point.fromHex(e.getValue());
      } catch (IllegalArgumentException bad) {
        throw new InvalidKeysetException("key for amount " + amount + " is not a compressed secp256k1 point");
      }
      if (out.put(amount, key) != null) throw new InvalidKeysetException("amount " + amount + " appears twice");
    }
    return out;
  }

  private static BigInteger parseAmount(String s) throws InvalidKeysetException {
    if (s == null || s.isEmpty() || s.length() > 20 || (s.length() > 1 && s.charAt(0) == '0')) {
      throw new InvalidKeysetException("keyset amount '" + s + "' is not a canonical decimal integer");
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        throw new InvalidKeysetException("keyset amount '" + s + "' is not a canonical decimal integer");
      }
    }
    BigInteger amount = new BigInteger(s);
    if (amount.signum() <= 0 || amount.compareTo(MAX_AMOUNT) > 0) {
      throw new InvalidKeysetException("keyset amount " + s + " is outside 1..2^64-1");
    }
    return amount;
  }

  /** The id these keys and metadata derive to, by the derivation of this id's version. */
  public String derivedId() {
    if (id.startsWith(KeysetVersion.V1.prefix())) return KeysetId.deriveV1(keys);
    return KeysetId.deriveV2(keys, unit, inputFeePpk, finalExpiry);
  }

  public boolean idMatchesKeys() {
    return id.equals(derivedId());
  }

  /** The mint's public key for {@code amount}, if the keyset has one. */
  public Optional<Point> key(long amount) {
    return amount <= 0 ? Optional.empty() : Optional.ofNullable(keys.get(BigInteger.valueOf(amount)));
  }

  /** As {@link #key(long)}, throwing {@link IllegalArgumentException} when the amount is not in this keyset. */
  public Point publicKey(long amount) {
    return key(amount).orElseThrow(() -> new IllegalArgumentException("keyset " + id + " has no key for amount " + amount));
  }

  public KeysetInfo info() {
    return new KeysetInfo(id, unit, active, inputFeePpk, finalExpiry);
  }

  /**
   * Splits {@code amount} into this keyset's denominations, largest first greedily, returned in ascending order
   * (NUT-03 asks for ascending outputs so their order does not reveal the payment amount).
   *
   * @throws IllegalArgumentException when the amount is not positive or cannot be represented exactly
   */
  public List<Long> split(long amount) {
    if (amount <= 0) throw new IllegalArgumentException("amount must be positive");
    List<Long> parts = new ArrayList<>();
    long rest = amount;
    for (BigInteger denomination : keys.headMap(LONG_MAX.add(BigInteger.ONE)).sequencedKeySet().reversed()) {
      long d = denomination.longValue();
      while (rest >= d) {
        parts.add(d);
        rest -= d;
      }
    }
    if (rest != 0) throw new IllegalArgumentException("amount " + amount + " cannot be made from keyset " + id);
    Collections.reverse(parts);
    return parts;
  }
}
