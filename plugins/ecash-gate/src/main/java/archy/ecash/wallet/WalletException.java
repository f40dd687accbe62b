package archy.ecash.wallet;

/**
 * A wallet operation that cannot start or was refused for a reason the caller can act on: a mint not on the
 * allow-list, not enough funds, no usable keyset, a token whose proofs do not fit. Nothing was sent to a mint,
 * or the mint said no, so no value moved. The message is safe to show and log.
 */
public sealed class WalletException extends Exception permits OperationBusyException {
  public WalletException(String message) {
    super(message, null, false, false);
  }
}
