package archy.ecash.gate;

/**
 * Bytes of a session's balance set aside for one response by {@link PaymentGate#reserve}. Settle it exactly once
 * when the response ends, with the bytes handed to the client: those are debited and the rest goes back to the
 * session. Settling is in memory, never blocks and never fails on storage (the debit is flushed later).
 */
public interface Reservation {
  /** Nothing set aside: a free service, or a decision that reserves nothing ({@link PaymentGate#authorize}). */
  Reservation NONE = new Reservation() {
    @Override
    public long bytes() {
      return 0;
    }

    @Override
    public void settle(long used) {}

    @Override
    public String toString() {
      return "Reservation.NONE";
    }
  };

  long bytes();

  /** Debits {@code used} bytes and releases the rest; later calls do nothing. */
  void settle(long used);
}
