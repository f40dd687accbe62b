package archy.ecash.wallet;

/**
 * What one recovery sweep did: operations finished (or closed as the mint's answer says), abandoned before
 * dispatch with their proofs released, still open (the mint unreachable or the payment in flight), handed-out
 * proofs found claimed, and handed-out proofs nobody claimed, swapped back into the wallet.
 */
public record RecoveryReport(int finished, int abandoned, int stillOpen, int claimedSends, int reclaimedSends) {}
