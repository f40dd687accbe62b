package archy.ecash.wallet;

import archy.ecash.crypto.Digests;
import archy.ecash.crypto.Scalar;
import archy.ecash.keyset.InvalidKeysetException;
import archy.ecash.keyset.KeysetVersion;
import archy.nostr.Hex;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import javax.crypto.Mac;

/**
 * NUT-13 deterministic secrets and blinding factors from a wallet seed, so that a wallet that lost its database
 * (or a response) can rebuild its outputs and ask the mint to re-sign them (NUT-09). The derivation follows the
 * keyset's version: HMAC-SHA256 for {@code 01…} keysets, BIP-32 for {@code 00…}.
 *
 * <p>Counters are the caller's job: one per keyset, persisted before the outputs are used and never rewound (a
 * reused counter makes outputs the mint has already signed, error 11003).
 */
public final class DeterministicSecrets {
  private static final byte[] KDF_DOMAIN = "Cashu_KDF_HMAC_SHA256".getBytes(StandardCharsets.US_ASCII);
  private static final int PURPOSE = 129372; // UTF-8 of the peanut emoji, per NUT-13
  private static final BigInteger V1_MODULUS = BigInteger.valueOf((1L << 31) - 1);

  private final byte[] seed;
  private final Bip32.Node coinNode; // m/129372'/0', for v1 keysets

  private DeterministicSecrets(byte[] seed) {
    this.seed = seed.clone();
    this.coinNode = Bip32.derive(Bip32.master(seed), PURPOSE | Bip32.HARDENED, Bip32.HARDENED);
  }

  /** From the BIP-39 seed of {@code mnemonic} (no passphrase, as Cashu wallets use it). */
  public static DeterministicSecrets fromMnemonic(String mnemonic) {
    return fromMnemonic(mnemonic, "");
  }

  public static DeterministicSecrets fromMnemonic(String mnemonic, String passphrase) {
    return new DeterministicSecrets(Bip39.seed(mnemonic, passphrase));
  }

  /** From a seed already derived (64 bytes for a BIP-39 seed). */
  public static DeterministicSecrets fromSeed(byte[] seed) {
    if (seed == null || seed.length < 16) throw new IllegalArgumentException("seed must be at least 16 bytes");
    return new DeterministicSecrets(seed);
  }

  /** A proof secret (64 lowercase hex characters, used as the UTF-8 string) and its blinding factor. */
  public record Derived(String secret, Scalar r) {
    @Override
    public String toString() {
      return "Derived[redacted]";
    }
  }

  /**
   * The secret and {@code r} for output number {@code counter} of keyset {@code keysetId}.
   *
   * @throws InvalidKeysetException for a keyset id of an unsupported version (such as {@code 02…} BLS)
   * @throws IllegalArgumentException for a negative counter, or one beyond 2^31-1 on a v1 keyset
   */
  public Derived derive(String keysetId, long counter) throws InvalidKeysetException {
    if (counter < 0) throw new IllegalArgumentException("counter must not be negative");
    return switch (KeysetVersion.of(keysetId)) {
      case V2 -> deriveHmac(keysetId, counter);
      case V1 -> deriveBip32(keysetId, counter);
    };
  }

  /** v2: {@code HMAC-SHA256(seed, "Cashu_KDF_HMAC_SHA256" || id || u64_be(counter) || 0x00|0x01)}; r reduced mod n. */
  private Derived deriveHmac(String keysetId, long counter) {
    byte[] id = Hex.decode(keysetId);
    ByteBuffer message = ByteBuffer.allocate(KDF_DOMAIN.length + id.length + 8 + 1);
    message.put(KDF_DOMAIN).put(id).putLong(counter);
    int typeIndex = message.position();
    Mac hmac = Digests.hmacSha256(seed);
    byte[] secret = hmac.doFinal(message.put(typeIndex, (byte) 0).array());
    byte[] r = hmac.doFinal(message.put(typeIndex, (byte) 1).array());
    return new Derived(Hex.encode(secret), Scalar.reduce(r));
  }

  /** v1 (deprecated): BIP-32 {@code m/129372'/0'/<id as int>'/<counter>'/0} for the secret, {@code …/1} for r. */
  private Derived deriveBip32(String keysetId, long counter) {
    if (counter > Integer.MAX_VALUE) throw new IllegalArgumentException("v1 counters stop at 2^31-1");
    Bip32.Node node = Bip32.derive(coinNode, keysetIdInt(keysetId) | Bip32.HARDENED, (int) counter | Bip32.HARDENED);
    return new Derived(Bip32.derive(node, 0).key().toHex(), Bip32.derive(node, 1).key());
  }

  /** NUT-13 v1's integer for a keyset id: its first 8 bytes, big-endian, modulo 2^31-1. */
  static int keysetIdInt(String keysetId) {
    byte[] id = Hex.decode(keysetId.length() > 16 ? keysetId.substring(0, 16) : keysetId);
    return new BigInteger(1, id).mod(V1_MODULUS).intValueExact();
  }

  @Override
  public String toString() {
    return "DeterministicSecrets[redacted]";
  }
}
