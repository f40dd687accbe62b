package archy.relay;

import archy.nostr.EventJson;

/** The relay-to-client messages of NIP-01, NIP-42, NIP-45 and NIP-77, built as strings around stored JSON. */
final class RelayMessages {
  private RelayMessages() {}

  static String event(String subscriptionId, String eventJson) {
    return "[\"EVENT\"," + EventJson.quote(subscriptionId) + "," + eventJson + "]";
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
