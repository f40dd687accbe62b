package archy.ecash.wallet;

/** A token swapped into the wallet: {@code amount} as presented, {@code fee} kept by the mint, the rest is held. */
public record Received(String opId, String mint, long amount, long fee) {
  public long net() {
    return amount - fee;
  }
}
