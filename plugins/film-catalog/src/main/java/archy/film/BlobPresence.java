package archy.film;

import java.util.List;

/**
 * How many of a film's blobs this node holds, for the catalog's {@code availability.local}: the host's
 * {@code Blobs.countHeldBlake3}, one indexed query per film, so the first page stays fast.
 */
@FunctionalInterface
public interface BlobPresence {
  int countHeld(List<String> blake3s);
}
