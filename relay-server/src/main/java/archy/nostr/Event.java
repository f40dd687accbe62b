package archy.nostr;

import java.util.List;

/**
 * A signed Nostr event (NIP-01). Tags stay plain lists of strings: a relay never needs a class per tag.
 * {@code json} is the event serialized once at parse time, so fan-out and storage never serialize again.
 */
public record Event(String id, String pubkey, long createdAt, int kind, List<List<String>> tags,
                    String content, String sig, String json) {

  /** The value of the first tag named {@code name} that has a value, or null. */
  public String firstTagValue(String name) {
    for (List<String> tag : tags) {
      if (tag.size() >= 2 && tag.get(0).equals(name)) return tag.get(1);
    }
    return null;
  }

  public boolean hasTag(String name) {
    for (List<String> tag : tags) {
      if (!tag.isEmpty() && tag.get(0).equals(name)) return true;
    }
    return false;
  }

  /** The "d" identifier of an addressable event ("" when absent), "" for replaceable kinds, null otherwise. */
  public String address() {
    if (Kinds.isReplaceable(kind)) return "";
    if (Kinds.isAddressable(kind)) {
      String d = firstTagValue("d");
      return d == null ? "" : d;
    }
    return null;
  }

  /** NIP-40 expiration in unix seconds, or null when absent or unparseable. */
  public Long expiration() {
    String value = firstTagValue("expiration");
    if (value == null) return null;
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** NIP-70: the event carries the {@code ["-"]} tag. */
  public boolean isProtected() {
    for (List<String> tag : tags) {
      if (tag.size() == 1 && tag.get(0).equals("-")) return true;
    }
    return false;
  }

  @Override
  public String toString() {
    return "Event[" + id + " kind " + kind + "]";
  }
}
