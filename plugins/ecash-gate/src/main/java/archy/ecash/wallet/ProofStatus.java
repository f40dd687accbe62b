package archy.ecash.wallet;

import java.util.Locale;

/** Where a held proof stands, as stored in {@code ecash_gate_proofs.state}. */
public enum ProofStatus {
  /** Spendable. */
  UNSPENT,
  /** Chosen by an operation that has not called the mint yet; released if that operation is abandoned. */
  RESERVED,
  /** In a mint call whose outcome is not known yet, or handed out in a token not yet claimed. */
  PENDING,
  /** Gone: swapped, melted, or claimed by whoever received it. */
  SPENT;

  String column() {
    return name().toLowerCase(Locale.ROOT);
  }

  static ProofStatus of(String column) {
    return valueOf(column.toUpperCase(Locale.ROOT));
  }
}
