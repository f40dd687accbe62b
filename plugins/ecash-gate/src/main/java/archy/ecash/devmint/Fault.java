package archy.ecash.devmint;

/** A failure a {@link LightningNode} suffers on its next outgoing payment (see {@link LightningNode#inject}). */
public enum Fault {
  /** The payment fails; nothing moves. */
  FAIL,
  /** The payment stays in flight until {@link LightningNetwork#settlePending} or {@link LightningNetwork#failPending}. */
  HOLD,
  /** The payment succeeds, but the payer's call throws {@link PaymentUncertainException}. */
  LOSE_RESPONSE
}
