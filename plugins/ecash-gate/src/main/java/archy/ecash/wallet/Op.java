package archy.ecash.wallet;

import archy.ecash.token.Proof;
import java.util.List;
import java.util.Locale;

/**
 * One row of the wallet's write-ahead journal ({@code ecash_gate_ops}). {@code plan} is null until outputs are
 * reserved; {@code inputs} holds proofs the wallet does not own yet (a received token's); {@code quote} and
 * {@code quoteKey} are bearer secrets for mint and melt operations, so {@link #toString()} leaves them out.
 * {@code amount} is the value the operation is about (received gross, sent, minted, melted) and {@code fee} the
 * mint's input fee, or the melt's fee reserve.
 */
record Op(String id, Kind kind, String mint, State state, OutputPlan plan, List<Proof> inputs, String quote,
          String quoteKey, long amount, long fee, String detail) {

  enum Kind {
    /** Swap a received token into our outputs. */
    RECEIVE,
    /** Swap our proofs into an exact amount to hand out, plus change. */
    SEND,
    /** Swap our proofs into an exact amount reserved for a following melt, plus change. */
    SPLIT,
    /** NUT-04: mint a paid quote. */
    MINT,
    /** NUT-05: pay an invoice with our proofs, change on NUT-08 blanks. */
    MELT;

    String column() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  enum State {
    /** Written, nothing sent to the mint; inputs may be released if it is abandoned. */
    PREPARED,
    /** The mint may have acted on it: finish or recover, never release inputs on time alone. */
    DISPATCHED,
    DONE,
    FAILED;

    String column() {
      return name().toLowerCase(Locale.ROOT);
    }

    boolean open() {
      return this == PREPARED || this == DISPATCHED;
    }
  }

  Op {
    inputs = inputs == null ? List.of() : List.copyOf(inputs);
  }

  Op withPlan(OutputPlan p) {
    return new Op(id, kind, mint, state, p, inputs, quote, quoteKey, amount, fee, detail);
  }

  Op withState(State s, String why) {
    return new Op(id, kind, mint, s, plan, inputs, quote, quoteKey, amount, fee, why);
  }

  @Override
  public String toString() {
    return "Op[" + kind + " " + state + ", mint=" + mint + ", amount=" + amount + ", fee=" + fee + "]";
  }
}
