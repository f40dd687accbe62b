package archy.film.event;

import archy.nostr.Event;
import java.util.List;

/** The {@code ["price", "<sats per MB>", "sat"]} tag films and adverts share; absent means free. */
final class Price {
  private Price() {}

  /** Sats per MB (10^6 bytes), or null when the event has no price tag. */
  static Long satsPerMb(Event event) throws InvalidEvent {
    Long found = null;
    for (List<String> tag : event.tags()) {
      if (tag.isEmpty() || !tag.get(0).equals("price")) continue;
      if (found != null) throw new InvalidEvent("more than one price tag");
      if (tag.size() < 3 || !tag.get(2).equals("sat")) {
        throw new InvalidEvent("price tag must be [\"price\", \"<sats per MB>\", \"sat\"]");
      }
      found = positiveInteger(tag.get(1), "price");
    }
    return found;
  }

  static long positiveInteger(String text, String what) throws InvalidEvent {
    if (text.isEmpty() || text.length() > 15 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new InvalidEvent(what + " must be a positive integer");
    }
    long value = Long.parseLong(text);
    if (value <= 0) throw new InvalidEvent(what + " must be a positive integer");
    return value;
  }
}
