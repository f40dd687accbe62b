package archy.nostr;

import java.security.SecureRandom;
import java.util.List;

/** Builds and signs events: the relay's own events, command-line tools and tests. */
public final class EventSigner {
  private static final SecureRandom RANDOM = new SecureRandom();

  private EventSigner() {}

  /**
   * Computes the id with the canonical NIP-01 serializer and signs it with fresh BIP-340 aux randomness.
   *
   * @throws IllegalArgumentException for a kind or timestamp that {@link EventParser} would refuse
   */
  public static Event sign(Keys keys, long createdAt, int kind, List<List<String>> tags, String content) {
    if (kind < 0 || kind > 65535) throw new IllegalArgumentException("kind must be between 0 and 65535");
    if (createdAt < 0) throw new IllegalArgumentException("created_at must not be negative");
    List<List<String>> frozen = tags.stream().<List<String>>map(List::copyOf).toList();
    String pubkey = keys.publicKeyHex();
    String id = EventJson.computeId(pubkey, createdAt, kind, frozen, content);
    byte[] auxRand = new byte[32];
    RANDOM.nextBytes(auxRand);
    String sig = Hex.encode(Schnorr.signer().sign(Hex.decode(id), Hex.decode(keys.secretHex()), auxRand));
    return new Event(id, pubkey, createdAt, kind, frozen, content, sig,
        EventJson.toJson(id, pubkey, createdAt, kind, frozen, content, sig));
  }
}
