package archy.ecash.wallet;

/**
 * What one recovery sweep did: operations finished (or closed as the mint's answer says), abandoned before
 * dispatch with their proofs released, still open (the mint unreachable or the payment in flight), and
 * handed-out proofs found claimed.
 */
public record RecoveryReport(int finished, int abandoned, int stillOpen, int claimedSends) {}
