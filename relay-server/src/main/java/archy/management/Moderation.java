package archy.management;

import archy.nostr.Event;
import java.util.Map;
import java.util.Set;

/**
 * One consistent view of what the operators set through NIP-86, as loaded from the database in one transaction;
 * replaced whole on every change, so a reader never sees half of one. Maps are id (or key, or address) to the
 * reason given, sorted for listing.
 *
 * <p>Semantics: a banned pubkey or event is refused; when the allow list of pubkeys is not empty only those keys
 * may publish (an allowed event passes whoever wrote it); a disallowed kind is refused, and when the allow list of
 * kinds is not empty only those kinds are accepted.
 */
record Moderation(
    Map<String, String> bannedPubkeys,
    Map<String, String> allowedPubkeys,
    Map<String, String> bannedEvents,
    Map<String, String> allowedEvents,
    Set<Integer> allowedKinds,
    Set<Integer> disallowedKinds,
    Map<String, String> blockedIps,
    Map<String, String> settings,
    long version) {

  static final String NAME = "name";
  static final String DESCRIPTION = "description";
  static final String ICON = "icon";

  /** Why a client's event is refused (a NIP-01 prefixed message), or null when these lists let it in. */
  String refusal(Event event) {
    if (bannedEvents.containsKey(event.id())) return "blocked: this event is banned from this relay";
    if (bannedPubkeys.containsKey(event.pubkey())) return "blocked: this pubkey is banned from this relay";
    if (allowedEvents.containsKey(event.id())) return null;
    if (!allowedPubkeys.isEmpty() && !allowedPubkeys.containsKey(event.pubkey())) {
      return "blocked: this relay accepts events only from the keys its operators allow";
    }
    if (disallowedKinds.contains(event.kind())) return "blocked: kind " + event.kind() + " is not accepted here";
    if (!allowedKinds.isEmpty() && !allowedKinds.contains(event.kind())) {
      return "blocked: kind " + event.kind() + " is not accepted here";
    }
    return null;
  }

  /** Whether these lists narrow who or what may write (NIP-11 {@code restricted_writes}). */
  boolean restrictsWrites() {
    return !allowedPubkeys.isEmpty() || !allowedKinds.isEmpty();
  }

  boolean blocks(String ip) {
    return !blockedIps.isEmpty() && blockedIps.containsKey(ip);
  }

  /** An operator's setting (relay name, description, icon), else {@code fallback}. */
  String setting(String name, String fallback) {
    return settings.getOrDefault(name, fallback);
  }
}
