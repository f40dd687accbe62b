package archy.ecash.keyset;

/** A keyset or keyset id that cannot be used: malformed keys, an id that does not match, or an unsupported version. */
public class InvalidKeysetException extends Exception {
  public InvalidKeysetException(String message) {
    super(message, null, false, false);
  }
}
