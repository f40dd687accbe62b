package archy.film;

/**
 * One blob of a film's set (PROTOCOLS.md §1), with whichever of its hashes the catalog knows: playlists name
 * children by sha256, the event names blobs by BLAKE3; once the bytes are held somewhere the pair is learnt.
 *
 * @param role {@code master}, {@code playlist} (variant or rendition), {@code segment}, {@code key}, {@code init},
 *             {@code poster}
 */
public record FilmBlob(String sha256, String blake3, String role) {
  public FilmBlob {
    if (sha256 == null && blake3 == null) throw new IllegalArgumentException("a film blob needs a hash");
  }
}
