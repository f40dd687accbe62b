package archy.ecash.devmint;

/** An invoice as its payee sees it. */
public enum InvoiceState {
  UNPAID,
  /** A payment is held in flight towards it. */
  PENDING,
  PAID,
  /** Unpaid and past its expiry: it can no longer be paid. */
  EXPIRED
}
