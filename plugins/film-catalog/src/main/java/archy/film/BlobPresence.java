package archy.film;

import java.util.ArrayList;
import java.util.List;

/**
 * How many of a film's blobs this node holds, for the catalog's {@code availability.local}: the host's
 * {@code Blobs.countHeld}, one indexed query per film, so the first page stays fast.
 */
@FunctionalInterface
public interface BlobPresence {
  int countHeld(List<String> sha256s, List<String> blake3s);

  default int countHeld(List<FilmBlob> blobs) {
    List<String> shas = new ArrayList<>(blobs.size());
    List<String> b3s = new ArrayList<>(blobs.size());
    for (FilmBlob b : blobs) {
      shas.add(b.sha256());
      b3s.add(b.blake3());
    }
    return countHeld(shas, b3s);
  }
}
