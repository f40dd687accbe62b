package archy.ecash.wallet;

/**
 * Another worker (a thread of this process, or another process on the same database) holds the operation's lease:
 * it is in progress, not failed. Try again once it is done.
 */
public final class OperationBusyException extends WalletException {
  public OperationBusyException() {
    super("the operation is in progress elsewhere; try again shortly");
  }
}
