package archy.relay;

import archy.nostr.EventJson;

/** The relay-to-client messages of NIP-01, NIP-42 and NIP-45, built as strings around stored JSON. */
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

  static String auth(String challenge) {
    return "[\"AUTH\"," + EventJson.quote(challenge) + "]";
  }
}
