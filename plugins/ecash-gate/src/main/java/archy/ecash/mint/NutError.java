package archy.ecash.mint;

import java.util.Optional;

/** The error codes mints put in {@code {"detail","code"}} answers (cashubtc/nuts {@code error_codes.md}). */
public enum NutError {
  PROOF_VERIFICATION_FAILED(10001, "Proof verification failed"),
  PROOFS_ALREADY_SPENT(11001, "Proofs already spent"),
  PROOFS_PENDING(11002, "Proofs are pending"),
  OUTPUTS_ALREADY_SIGNED(11003, "Outputs already signed"),
  OUTPUTS_PENDING(11004, "Outputs are pending"),
  TRANSACTION_UNBALANCED(11005, "Transaction is not balanced (inputs != outputs)"),
  AMOUNT_OUTSIDE_LIMITS(11006, "Amount outside of limit range"),
  DUPLICATE_INPUTS(11007, "Duplicate inputs provided"),
  DUPLICATE_OUTPUTS(11008, "Duplicate outputs provided"),
  MULTIPLE_UNITS(11009, "Inputs/Outputs of multiple units"),
  UNIT_MISMATCH(11010, "Inputs and outputs not of same unit"),
  AMOUNTLESS_INVOICE_UNSUPPORTED(11011, "Amountless invoice is not supported"),
  AMOUNT_NOT_INVOICE_AMOUNT(11012, "Amount in request does not equal invoice"),
  UNIT_UNSUPPORTED(11013, "Unit in request is not supported"),
  MAX_INPUTS_EXCEEDED(11014, "Max inputs exceeded"),
  MAX_OUTPUTS_EXCEEDED(11015, "Max outputs exceeded"),
  DUPLICATE_QUOTE_IDS(11016, "Duplicate quote IDs provided"),
  MAX_BATCH_SIZE_EXCEEDED(11017, "Max batch size exceeded"),
  KEYSET_UNKNOWN(12001, "Keyset is not known"),
  KEYSET_INACTIVE(12002, "Keyset is inactive, cannot sign messages"),
  KEYSET_EXPIRED(12003, "Keyset has expired"),
  QUOTE_NOT_PAID(20001, "Quote request is not paid"),
  QUOTE_ALREADY_ISSUED(20002, "Quote has already been issued"),
  MINTING_DISABLED(20003, "Minting is disabled"),
  LIGHTNING_PAYMENT_FAILED(20004, "Lightning payment failed"),
  QUOTE_PENDING(20005, "Quote is pending"),
  INVOICE_ALREADY_PAID(20006, "Invoice already paid"),
  QUOTE_EXPIRED(20007, "Quote is expired"),
  MINT_SIGNATURE_INVALID(20008, "Signature for mint request invalid"),
  MINT_PUBKEY_REQUIRED(20009, "Pubkey required for mint quote"),
  CLEAR_AUTH_REQUIRED(30001, "Endpoint requires clear auth"),
  CLEAR_AUTH_FAILED(30002, "Clear authentication failed"),
  BLIND_AUTH_REQUIRED(31001, "Endpoint requires blind auth"),
  BLIND_AUTH_FAILED(31002, "Blind authentication failed"),
  BAT_MINT_MAX_EXCEEDED(31003, "Maximum BAT mint amount exceeded"),
  BAT_RATE_LIMITED(31004, "BAT mint rate limit exceeded");

  private final int code;
  private final String description;

  NutError(int code, String description) {
    this.code = code;
    this.description = description;
  }

  public int code() {
    return code;
  }

  public String description() {
    return description;
  }

  public static Optional<NutError> of(int code) {
    for (NutError e : values()) if (e.code == code) return Optional.of(e);
    return Optional.empty();
  }
}
