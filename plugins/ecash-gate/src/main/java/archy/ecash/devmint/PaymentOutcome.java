package archy.ecash.devmint;

/**
 * What became of a Lightning payment on the {@link LightningNetwork}: paid (with the preimage that proves it and
 * the routing fee charged), failed (nothing moved), or still in flight.
 */
public sealed interface PaymentOutcome {
  String paymentHash();

  /** Settled: the payee has the money and the payer learned {@code preimage} (hex; its SHA-256 is the hash). */
  record Paid(String paymentHash, String preimage, long feeMsat) implements PaymentOutcome {}

  /** Nothing was paid; {@code reason} is for people (injected, expired, no route, liquidity, fee limit …). */
  record Failed(String paymentHash, String reason) implements PaymentOutcome {}

  /** Held in flight (the payer's funds are locked) until {@link LightningNetwork#settlePending} or {@link LightningNetwork#failPending}. */
  record Pending(String paymentHash) implements PaymentOutcome {}
}
