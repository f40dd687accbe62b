package archy.ecash.wallet;

/**
 * A NUT-04 mint quote as the wallet hands it out: pay {@code bolt11}, then call {@link Wallet#completeMint} with
 * {@code opId}. The quote id itself stays in the journal (it is a bearer secret).
 */
public record MintInvoice(String opId, String mint, String bolt11, long amount, Long expiry) {}
