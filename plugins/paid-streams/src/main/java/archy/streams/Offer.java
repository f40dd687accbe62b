package archy.streams;

import archy.nostr.Event;
import java.util.List;

/**
 * A kind 30083 stream offer (PROTOCOLS.md §7): the stream's address {@code 30083:<pubkey>:<d>}, its price in sats
 * per observation (0 = free), the expected cadence in seconds (0 = not given) and the observations' kind.
 */
public record Offer(String address, String publisher, String title, long priceSats, long cadenceSeconds, int observationKind) {
  public static final int KIND = 30083;
  public static final int PAYMENT_KIND = 21083;

  public boolean priced() {
    return priceSats > 0;
  }

  /** The offer an event states, or throws with the {@code invalid:} reason. */
  public static Offer parse(Event event) {
    String d = event.firstTagValue("d");
    if (d == null) throw new IllegalArgumentException("a 30083 offer needs a d tag (the stream id)");
    long price = 0;
    for (List<String> tag : event.tags()) {
      if (tag.isEmpty() || !tag.getFirst().equals("price")) continue;
      if (tag.size() < 3 || !tag.get(2).equals("sat")) {
        throw new IllegalArgumentException("price must be [\"price\",\"<sats per observation>\",\"sat\"]");
      }
      price = number(tag.get(1), "price");
    }
    String cadence = event.firstTagValue("cadence");
    long cadenceSeconds = cadence == null ? 0 : number(cadence, "cadence");
    String k = event.firstTagValue("k");
    if (k == null) throw new IllegalArgumentException("a 30083 offer needs a k tag (the observations' kind)");
    long kind = number(k, "k");
    if (kind > 65535 || kind == KIND || kind == PAYMENT_KIND) throw new IllegalArgumentException("k is not a usable kind");
    String title = event.firstTagValue("title");
    return new Offer(KIND + ":" + event.pubkey() + ":" + d, event.pubkey(), title == null ? "" : title, price,
        cadenceSeconds, (int) kind);
  }

  /** The {@code seq} of an observation, or throws with the {@code invalid:} reason. */
  public static long seq(Event observation) {
    String seq = observation.firstTagValue("seq");
    if (seq == null) throw new IllegalArgumentException("an observation needs a seq tag");
    long n = number(seq, "seq");
    if (n < 1) throw new IllegalArgumentException("seq starts at 1");
    return n;
  }

  private static long number(String text, String name) {
    if (text == null || !text.matches("[0-9]{1,18}")) throw new IllegalArgumentException(name + " must be a whole number");
    return Long.parseLong(text);
  }
}
