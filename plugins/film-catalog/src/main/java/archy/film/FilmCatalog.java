package archy.film;

import java.util.List;
import java.util.Optional;

/**
 * The catalog as other plugins see it (published with {@code ctx.services().publish(FilmCatalog.class, …)}):
 * paid-blobs asks whether a blob belongs to a monetized film and at what price; fetch-through and
 * relay-bandwidth ask whether a hash may be fetched for others and where from. Only films of trusted
 * publishers are visible here; hashes are lowercase hex without a {@code blake3:} prefix.
 *
 * <p>Calls read the plugin's tables (indexed lookups, safe from any thread, not for a tight loop per byte).
 */
public interface FilmCatalog {
  /**
   * The listed films holding a blob known by either hash (the other may be null), newest first: named by the
   * event (playlist, poster, segments, by BLAKE3), or by the film's playlists (variants, segments, keys, by sha256;
   * the catalog reads them when it indexes a film), directly or through a learnt (sha256, BLAKE3) pair. Empty for
   * any other blob.
   */
  List<CatalogFilm> filmsContaining(String sha256, String blake3);

  default List<CatalogFilm> filmsWithBlob(String blake3) {
    return filmsContaining(null, blake3);
  }

  default List<CatalogFilm> filmsWithSha256(String sha256) {
    return filmsContaining(sha256, null);
  }

  /** The BLAKE3 address for a sha256 the catalog knows a pair for, or that the blob store holds. */
  Optional<String> blake3ForSha256(String sha256);

  /** The sha256 for a BLAKE3 address the catalog knows a pair for, or that the blob store holds. */
  Optional<String> sha256ForBlake3(String blake3);

  /** The newest listed version of a film. */
  Optional<CatalogFilm> film(String pubkey, String d);

  /**
   * A film's whole blob set: what its playlists name (master first, in playlist order), then what only its event
   * names (poster, segments), each blob once with the hashes known for it.
   */
  List<FilmBlob> blobSet(String pubkey, String d);

  /**
   * Seeders with an unexpired advert for this blob (by BLAKE3), or for a film that contains it, one entry per
   * seeder (its newest advert), cheapest first. Either hash may be null.
   */
  List<Seeder> seeders(String sha256, String blake3);

  /** Listed monetized films, newest first, at most {@code limit}. */
  List<CatalogFilm> monetizedFilms(int limit);

  /** The configured origin Blossom servers ({@code origin_servers}), without trailing slashes. */
  List<String> originServers();

  boolean isTrustedPublisher(String pubkey);

  /**
   * Records a verified (blake3, sha256) pair of one blob, so that Blossom requests by sha256 find the film.
   * The blob store or fetch-through calls this after hashing the bytes; an existing pair is kept.
   */
  void learnSha256(String blake3, String sha256);
}
