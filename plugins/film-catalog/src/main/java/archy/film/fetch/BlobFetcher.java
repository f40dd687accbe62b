package archy.film.fetch;

import archy.plugin.BlobInfo;
import java.io.IOException;

/**
 * Obtains a blob of a trusted catalog film for another plugin (published with
 * {@code ctx.services().publish(BlobFetcher.class, …)}): the local store, else the film's seeders over QUIC and
 * HTTP(S), paying them through the node's {@link Payer} within its caps, else the origins; the bytes are verified
 * and stored before the blob is returned. relay-bandwidth calls it to obtain what it relays, so the node keeps one
 * fetch-and-verify path ({@link FetchThrough}).
 */
public interface BlobFetcher {
  /**
   * The blob, held already or fetched now (concurrent calls for one blob share one fetch). At least one hash is
   * given; the caller has checked that the blob belongs to a catalog film.
   *
   * @throws IOException when no source served it
   */
  BlobInfo fetch(String sha256, String blake3) throws IOException;
}
