package archy.store;

import archy.nostr.Event;
import archy.nostr.Hex;
import archy.nostr.Kinds;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Set;

/**
 * The PostgreSQL advisory-lock keys of what an event touches: its own id and address, and for a NIP-09
 * deletion every id and address it names. Ids are hashes already, so their first 64 bits serve; an
 * address is hashed. Two different things sharing a key only wait for each other needlessly.
 */
final class LockKeys {
  private LockKeys() {}

  static void addTo(Set<Long> keys, Event e) {
    keys.add(ofId(e.id()));
    String address = e.address();
    if (address != null) keys.add(ofAddress(e.kind(), e.pubkey(), address));
    if (e.kind() != Kinds.DELETION) return;
    for (List<String> tag : e.tags()) {
      if (tag.size() < 2) continue;
      if (tag.get(0).equals("e") && Hex.isLowerHex(tag.get(1), 64)) keys.add(ofId(tag.get(1)));
      else if (tag.get(0).equals("a")) keys.add(ofCoordinate(tag.get(1)));
    }
  }

  private static long ofId(String hexId) {
    return Long.parseUnsignedLong(hexId.substring(0, 16), 16);
  }

  /** The same key as {@link #ofCoordinate} gives for {@code kind:pubkey:address}. */
  private static long ofAddress(int kind, String pubkey, String address) {
    return ofCoordinate(kind + ":" + pubkey + ":" + address);
  }

  private static long ofCoordinate(String coordinate) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(("a:" + coordinate).getBytes(StandardCharsets.UTF_8));
      long key = 0;
      for (int i = 0; i < 8; i++) key = (key << 8) | (digest[i] & 0xff);
      return key;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
