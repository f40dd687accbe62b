package archy.ecash.ledger;

/**
 * Sums over the ledger. Bytes: granted after a swap ({@code bytesCredited}), granted on trust
 * ({@code bytesDeferred}), delivered ({@code bytesDebited}). Sats: received net of fees when crediting
 * ({@code satsCredited}) or when settling a deferred token ({@code satsSettled}), expected from deferred tokens
 * ({@code satsDeferred}) and lost on those the mint refused later ({@code satsLost}), and paid in swap fees.
 * {@code bytesRevoked}: what sessions still held of a credit on trust when its token was refused, taken back.
 */
public record LedgerTotals(long bytesCredited, long bytesDeferred, long bytesDebited, long satsCredited,
                           long satsDeferred, long satsSettled, long satsLost, long swapFees, long bytesRevoked) {
  /** Bytes granted and not yet delivered nor revoked: equals the sum of session balances. */
  public long bytesOutstanding() {
    return bytesCredited + bytesDeferred - bytesDebited - bytesRevoked;
  }

  /** Sats the gate's swaps put in the wallet. */
  public long satsReceived() {
    return satsCredited + satsSettled;
  }

  /** Face value of the tokens swapped: what was received plus what the mints kept in fees. */
  public long satsGross() {
    return satsReceived() + swapFees;
  }
}
