package archy.streams.client;

import archy.nostr.Hex;
import archy.nostr.Nip19;
import java.util.List;

/**
 * A stream named on the command line: {@code naddr1…} of its kind 30083 offer (with relay hints), or the plain
 * coordinate {@code 30083:<pubkey>:<d>}.
 */
public record StreamAddress(String publisher, String d, List<String> relays) {
  public static StreamAddress parse(String text) {
    String t = text.strip();
    if (t.startsWith("30083:")) {
      String[] parts = t.split(":", 3);
      if (parts.length == 3 && Hex.isLowerHex(parts[1], 64) && !parts[2].isEmpty()) {
        return new StreamAddress(parts[1], parts[2], List.of());
      }
      throw new IllegalArgumentException("a stream coordinate is 30083:<64 hex pubkey>:<d>, got " + t);
    }
    Nip19.Entity entity;
    try {
      entity = Nip19.decode(t);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a stream: expected naddr1… or 30083:<pubkey>:<d> (" + e.getMessage() + ")");
    }
    if (entity instanceof Nip19.Address a && a.kind() == 30083) return new StreamAddress(a.pubkey(), a.identifier(), a.relays());
    throw new IllegalArgumentException("not a stream: the naddr must name a kind 30083 offer");
  }

  /** {@code 30083:<pubkey>:<d>}, the value of observations' and payments' {@code a} tag. */
  public String coordinate() {
    return "30083:" + publisher + ":" + d;
  }

  /** The naddr of the offer, with {@code relay} as its hint. */
  public String naddr(String relay) {
    return Nip19.encode(new Nip19.Address(d, publisher, 30083, relay == null ? List.of() : List.of(relay)));
  }
}
