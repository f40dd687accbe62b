package archy.quic;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The §5 answer headers the host itself sends: {@code {"status":…,"reason":…}}, plus {@code retry_after} on 429. */
public final class QuicStatus {
  static final ObjectMapper JSON = new ObjectMapper();
  /** The application error code of a stream reset: the answer was cut off and is not whole. */
  static final int RESET_CODE = 1;

  private QuicStatus() {}

  public static ObjectNode of(int status) {
    return JSON.createObjectNode().put("status", status);
  }

  public static ObjectNode error(int status, String reason) {
    return of(status).put("reason", reason);
  }

  static ObjectNode busy(int retryAfterSeconds, String reason) {
    return error(429, reason).put("retry_after", retryAfterSeconds);
  }
}
