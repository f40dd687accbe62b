package archy.relay;

import archy.nostr.EventJson;
import java.nio.charset.StandardCharsets;

/** The relay-to-client messages of NIP-01, NIP-42, NIP-45 and NIP-77, built as strings around stored JSON. */
final class RelayMessages {
  private RelayMessages() {}

  /** {@code ["EVENT",<subscription id>,} in UTF-8: what {@link #event(byte[], byte[])} puts before the JSON. */
  static byte[] eventPrefix(String subscriptionId) {
    return ("[\"EVENT\"," + EventJson.quote(subscriptionId) + ",").getBytes(StandardCharsets.UTF_8);
  }

  /**
   * An EVENT frame's UTF-8 payload around stored JSON bytes: one copy of them, no decoding or re-encoding
   * (a stored row's JSON is already valid UTF-8, as the store took it from a decoded client message).
   */
  static byte[] event(byte[] prefix, byte[] eventJson) {
    byte[] frame = new byte[prefix.length + eventJson.length + 1];
    System.arraycopy(prefix, 0, frame, 0, prefix.length);
    System.arraycopy(eventJson, 0, frame, prefix.length, eventJson.length);
    frame[frame.length - 1] = ']';
    return frame;
  }

  static String ok(String eventId, boolean accepted, String message) {
    return "[\"OK\"," + EventJson.quote(eventId) + "," + accepted + "," + EventJson.quote(message) + "]";
  }

  static String eose(String subscriptionId) {
    return "[\"EOSE\"," + EventJson.quote(subscriptionId) + "]";
  }

  static String closed(String subscriptionId, String message) {
    return "[\"CLOSED\"," + EventJson.quote(subscriptionId) + "," + EventJson.quote(message) + "]";
  }

  static String notice(String message) {
    return "[\"NOTICE\"," + EventJson.quote(message) + "]";
  }

  static String count(String subscriptionId, long count) {
    return "[\"COUNT\"," + EventJson.quote(subscriptionId) + ",{\"count\":" + count + "}]";
  }

  /** NIP-77: a negentropy message, hex-encoded. */
  static String negMsg(String subscriptionId, String hex) {
    return "[\"NEG-MSG\"," + EventJson.quote(subscriptionId) + "," + EventJson.quote(hex) + "]";
  }

  /** NIP-77: the session is over; {@code reason} has a NIP-01 prefix ({@code blocked:}, {@code closed:}, …). */
  static String negErr(String subscriptionId, String reason) {
    return "[\"NEG-ERR\"," + EventJson.quote(subscriptionId) + "," + EventJson.quote(reason) + "]";
  }

  static String auth(String challenge) {
    return "[\"AUTH\"," + EventJson.quote(challenge) + "]";
  }
}
