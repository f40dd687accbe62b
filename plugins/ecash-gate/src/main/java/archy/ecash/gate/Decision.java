package archy.ecash.gate;

import archy.ecash.request.PaymentRequest;

/** What {@link PaymentGate#authorize} decided. */
public sealed interface Decision {
  /**
   * Serve; {@code balance} is what the session may spend before this request (Long.MAX_VALUE when free), and
   * {@code reservation} what {@link PaymentGate#reserve} set aside for it ({@link Reservation#NONE} otherwise).
   */
  record Allowed(long balance, Reservation reservation) implements Decision {
    public Allowed(long balance) {
      this(balance, Reservation.NONE);
    }
  }

  /**
   * Answer 402 with {@code request} ({@code X-Cashu: request.encodeA()}) and {@code sessionId}
   * ({@code X-Archy-Session}); {@code shortfallBytes} is what the session lacks, including any debt it owes.
   */
  record PaymentRequired(String sessionId, PaymentRequest request, long shortfallBytes) implements Decision {}
}
