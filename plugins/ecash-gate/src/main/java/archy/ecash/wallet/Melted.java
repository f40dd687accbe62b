package archy.ecash.wallet;

import archy.ecash.mint.MeltQuote;

/**
 * The outcome of a melt: PAID with the preimage and what it cost ({@code feePaid} = inputs − amount − change,
 * input fees included), UNPAID when the payment failed and the inputs came back, or PENDING (or UNKNOWN) while
 * the mint has not settled it; then {@link Wallet#resumeMelt} finishes it later.
 */
public record Melted(String opId, MeltQuote.State state, String preimage, long amount, long feePaid) {
  @Override
  public String toString() {
    return "Melted[" + state + ", amount=" + amount + ", feePaid=" + feePaid + "]";
  }
}
