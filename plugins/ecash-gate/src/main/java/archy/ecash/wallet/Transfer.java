package archy.ecash.wallet;

import java.util.Locale;

/**
 * A cross-mint transfer as journaled ({@code ecash_gate_transfers}): {@code amount} sat from {@code source} to
 * {@code target}, at most {@code maxFee} sat of Lightning fee reserve, through the mint operation {@code mintOp}
 * at the target and the melt {@code meltOp} at the source. {@code fee} is what it cost once completed.
 */
public record Transfer(String id, String source, String target, long amount, long maxFee, String mintOp,
                       String meltOp, State state, long fee, String detail) {
  public enum State {
    /** Written; nothing asked of either mint yet. */
    PLANNED,
    /** The target's mint quote exists; nothing paid. */
    QUOTED,
    /** The source's melt may be under way: resume it, never abandon it on time alone. */
    PAYING,
    /** The source paid the target's invoice: the value waits at the target to be minted. */
    FUNDED,
    COMPLETED,
    FAILED;

    String column() {
      return name().toLowerCase(Locale.ROOT);
    }

    public boolean open() {
      return this != COMPLETED && this != FAILED;
    }
  }

  Transfer with(State s, long newFee, String why) {
    return new Transfer(id, source, target, amount, maxFee, mintOp, meltOp, s, newFee, why);
  }
}
