package archy.film;

import java.util.Collection;

/**
 * Whether this node holds a blob, for the catalog's {@code availability.local}. The Blossom blob store will
 * answer it; until the plugin context offers one, the plugin uses {@link #NONE} and reports 0 held locally.
 */
@FunctionalInterface
public interface BlobPresence {
  BlobPresence NONE = blake3 -> false;

  boolean has(String blake3);

  default int countHeld(Collection<String> blake3s) {
    int held = 0;
    for (String blake3 : blake3s) {
      if (has(blake3)) held++;
    }
    return held;
  }
}
