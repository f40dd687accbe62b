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
  /** The listed films that name this blob (playlist, poster or segment), newest first; empty for any other hash. */
  List<CatalogFilm> filmsWithBlob(String blake3);

  /**
   * The listed films holding the blob with this sha256: the master playlist (the x tag) always; other blobs
   * once their pair is known: held in this node's blob store, reported with {@link #learnSha256}, or named
   * by an advert's x tag.
   */
  List<CatalogFilm> filmsWithSha256(String sha256);

  /** The BLAKE3 address for a sha256 the catalog knows a pair for, or that the blob store holds. */
  Optional<String> blake3ForSha256(String sha256);

  /** The newest listed version of a film. */
  Optional<CatalogFilm> film(String pubkey, String d);

  /** A film's blobs by BLAKE3: playlist, poster, then segments in order. */
  List<String> blobsOf(String pubkey, String d);

  /**
   * Seeders with an unexpired advert for this blob, or for a film that contains it, one entry per seeder
   * (its newest advert), cheapest first. Does not check the film's trust: ask {@link #filmsWithBlob} first.
   */
  List<Seeder> seeders(String blake3);

  /** The configured origin Blossom servers ({@code origin_servers}), without trailing slashes. */
  List<String> originServers();

  boolean isTrustedPublisher(String pubkey);

  /**
   * Records a verified (blake3, sha256) pair of one blob, so that Blossom requests by sha256 find the film.
   * The blob store or fetch-through calls this after hashing the bytes; an existing pair is kept.
   */
  void learnSha256(String blake3, String sha256);
}
