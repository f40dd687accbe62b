package archy.ecash.gate;

import archy.ecash.request.PaymentRequest;

/** What {@link PaymentGate#authorize} decided. */
public sealed interface Decision {
  /** Serve; {@code balance} is what the session holds before this request's debit (Long.MAX_VALUE when free). */
  record Allowed(long balance) implements Decision {}

  /**
   * Answer 402 with {@code request} ({@code X-Cashu: request.encodeA()}) and {@code sessionId}
   * ({@code X-Archy-Session}); {@code shortfallBytes} is what the session lacks.
   */
  record PaymentRequired(String sessionId, PaymentRequest request, long shortfallBytes) implements Decision {}
}
