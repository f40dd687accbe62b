package archy.nostr;

/** BIP-340 Schnorr signature verification over secp256k1. */
public interface SchnorrVerifier {
  /**
   * @param signature 64 bytes
   * @param message   the 32-byte message (for Nostr: the event id)
   * @param publicKey the 32-byte x-only public key
   */
  boolean verify(byte[] signature, byte[] message, byte[] publicKey);
}
