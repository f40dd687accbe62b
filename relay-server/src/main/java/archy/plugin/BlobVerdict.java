package archy.plugin;

import java.util.Map;
import java.util.function.LongConsumer;

/**
 * The answer of a Blossom policy ({@code rejectUpload}, {@code rejectGet}): go ahead, refuse with an HTTP
 * status and a reason (sent as {@code X-Reason}), or ask for payment (BUD-07: a 402 carrying headers such
 * as {@code X-Cashu: creqA…}).
 */
public sealed interface BlobVerdict {
  Allow ALLOW = new Allow(Map.of());

  /**
   * {@code headers} are added to the successful response (a paid GET sends {@code Cache-Control: private});
   * {@code onServed} is told, exactly once, the bytes handed to the client when the body ended, counted by a
   * {@link DeliveryMeter} (a chunk handed over counts in full: rounding against the client). It is also told 0
   * when no body goes out (HEAD, a later policy refused, the file could not be opened), so a paid GET can
   * reserve bytes when it allows and settle (debit what went out, release the rest) there. It runs on the
   * I/O path: no blocking, no I/O; a callback that throws is logged and the response still completes.
   */
  record Allow(Map<String, String> headers, LongConsumer onServed) implements BlobVerdict {
    private static final LongConsumer NOTHING = bytes -> { };

    public Allow {
      headers = Map.copyOf(headers);
      onServed = onServed == null ? NOTHING : onServed;
    }

    public Allow(Map<String, String> headers) {
      this(headers, null);
    }
  }

  record Deny(int status, String reason) implements BlobVerdict {
    public Deny {
      if (status < 400 || status > 599) throw new IllegalArgumentException("a denial needs a 4xx or 5xx status");
    }
  }

  /** Answered with 402, {@code headers} (at least one {@code X-<payment method>}) and {@code X-Reason}. */
  record PaymentRequired(Map<String, String> headers, String reason) implements BlobVerdict {
    public PaymentRequired {
      headers = Map.copyOf(headers);
    }
  }

  static BlobVerdict allow() {
    return ALLOW;
  }

  static BlobVerdict allow(Map<String, String> headers) {
    return new Allow(headers);
  }

  static BlobVerdict allow(Map<String, String> headers, LongConsumer onServed) {
    return new Allow(headers, onServed);
  }

  static BlobVerdict deny(int status, String reason) {
    return new Deny(status, reason);
  }

  static BlobVerdict paymentRequired(Map<String, String> headers, String reason) {
    return new PaymentRequired(headers, reason);
  }
}
