package archy.ecash.keyset;

/**
 * A keyset whose id has a version this code does not implement, such as {@code 02…} (BLS12-381 keysets, proposed
 * in cashubtc/nuts PR #371). Refused explicitly rather than misread as secp256k1 keys.
 */
public final class UnsupportedKeysetException extends InvalidKeysetException {
  public UnsupportedKeysetException(String message) {
    super(message);
  }
}
