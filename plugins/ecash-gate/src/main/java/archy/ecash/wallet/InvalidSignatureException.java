package archy.ecash.wallet;

/**
 * A blind signature that does not fit the output it answers: another keyset or amount than asked, an amount the
 * keyset has no key for, or a DLEQ proof that fails (NUT-12: the mint did not sign with the key it publishes).
 */
public final class InvalidSignatureException extends Exception {
  public InvalidSignatureException(String message) {
    super(message, null, false, false);
  }
}
