package archy.ecash.wallet;

import archy.ecash.token.Proof;

/** A proof the wallet holds: which mint issued it, its {@code Y} (hex), its state and the operation holding it. */
public record StoredProof(String mint, String y, Proof proof, ProofStatus status, String op) {
  public long amount() {
    return proof.amount();
  }

  @Override
  public String toString() {
    return "StoredProof[mint=" + mint + ", amount=" + proof.amount() + ", status=" + status + "]";
  }
}
