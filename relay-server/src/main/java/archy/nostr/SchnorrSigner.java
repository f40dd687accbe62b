package archy.nostr;

/** BIP-340 Schnorr signing over secp256k1. */
public interface SchnorrSigner {
  /**
   * @param message   the 32-byte message (for Nostr: the event id)
   * @param secretKey the 32-byte secret key, a scalar in [1, n-1]
   * @param auxRand   32 bytes of fresh randomness; BIP-340 mixes it into the nonce so that a fault or a
   *                  side channel in one signature does not leak the key
   * @return the 64-byte signature
   * @throws IllegalArgumentException when the key is not a valid scalar or a length is wrong
   */
  byte[] sign(byte[] message, byte[] secretKey, byte[] auxRand);

  /**
   * The 32-byte x-only public key of {@code secretKey}.
   *
   * @throws IllegalArgumentException when the key is not 32 bytes or not a scalar in [1, n-1]
   */
  byte[] publicKey(byte[] secretKey);
}
