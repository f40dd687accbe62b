package archy.film.did;

import java.util.Arrays;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * A {@code did:key} holding an Ed25519 public key (W3C CCG did:key method): {@code did:key:z} + base58btc of
 * the multicodec varint {@code 0xed 0x01} (ed25519-pub) followed by the 32-byte key, hence the familiar
 * {@code z6Mk…}. Other key types are refused: film creators sign with Ed25519 only.
 */
public final class DidKey {
  private static final String PREFIX = "did:key:z";
  private static final byte[] ED25519_PUB = {(byte) 0xed, 0x01};
  private static final int KEY_BYTES = 32;

  private final byte[] publicKey;
  private final String did;

  private DidKey(byte[] publicKey, String did) {
    this.publicKey = publicKey;
    this.did = did;
  }

  /** @throws IllegalArgumentException when the text is not an Ed25519 did:key (the message says why) */
  public static DidKey parse(String did) {
    if (did == null || !did.startsWith(PREFIX)) {
      throw new IllegalArgumentException("not a did:key with a base58btc (z) multibase value");
    }
    byte[] decoded = Base58.decode(did.substring(PREFIX.length()));
    if (decoded.length != ED25519_PUB.length + KEY_BYTES || decoded[0] != ED25519_PUB[0]
        || decoded[1] != ED25519_PUB[1]) {
      throw new IllegalArgumentException("not an Ed25519 did:key (multicodec 0xed01 and 32 key bytes)");
    }
    return new DidKey(Arrays.copyOfRange(decoded, ED25519_PUB.length, decoded.length), did);
  }

  public static DidKey of(byte[] ed25519PublicKey) {
    if (ed25519PublicKey.length != KEY_BYTES) throw new IllegalArgumentException("an Ed25519 public key has 32 bytes");
    byte[] multicodec = new byte[ED25519_PUB.length + KEY_BYTES];
    System.arraycopy(ED25519_PUB, 0, multicodec, 0, ED25519_PUB.length);
    System.arraycopy(ed25519PublicKey, 0, multicodec, ED25519_PUB.length, KEY_BYTES);
    return new DidKey(ed25519PublicKey.clone(), PREFIX + Base58.encode(multicodec));
  }

  public String did() {
    return did;
  }

  public byte[] publicKey() {
    return publicKey.clone();
  }

  /** Ed25519 (RFC 8032, pure) verification of a detached 64-byte signature over {@code message}. */
  public boolean verify(byte[] message, byte[] signature) {
    if (signature.length != 64) return false;
    Ed25519Signer verifier = new Ed25519Signer();
    try {
      verifier.init(false, new Ed25519PublicKeyParameters(publicKey, 0));
    } catch (IllegalArgumentException notAPoint) {
      return false;
    }
    verifier.update(message, 0, message.length);
    return verifier.verifySignature(signature);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DidKey other && Arrays.equals(publicKey, other.publicKey);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(publicKey);
  }

  @Override
  public String toString() {
    return did;
  }
}
