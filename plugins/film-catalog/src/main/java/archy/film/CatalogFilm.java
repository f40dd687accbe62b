package archy.film;

/**
 * A film as the catalog lists it: the newest version of one (pubkey, d), from a trusted publisher.
 *
 * @param masterSha256   the Blossom address of the master playlist (the event's x tag)
 * @param playlistBlake3 the same playlist by BLAKE3
 * @param satsPerMb      the price per 10^6 bytes, or null for a free film
 * @param encrypted      the content declares {@code enc}: not a public film (no NIP-71 companion, no relay fetch)
 * @param blobCount      blobs the event names (playlist, poster, segments); a long film that omits its
 *                       segments counts only what it names
 */
public record CatalogFilm(String pubkey, String d, String eventId, long createdAt, String title, String masterSha256,
                          String playlistBlake3, Long satsPerMb, boolean encrypted, boolean creatorVerified,
                          int blobCount) {
  public boolean monetized() {
    return satsPerMb != null;
  }

  /** {@code 30082:<pubkey>:<d>}, the coordinate adverts and companions point at. */
  public String coordinate() {
    return "30082:" + pubkey + ":" + d;
  }
}
