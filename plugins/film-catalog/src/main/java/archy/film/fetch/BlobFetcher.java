package archy.film.fetch;

import archy.plugin.BlobInfo;
import java.io.IOException;
import java.io.InputStream;

/**
 * Obtains a blob of a trusted catalog film for another plugin (published with
 * {@code ctx.services().publish(BlobFetcher.class, …)}): the local store, else the film's seeders over QUIC and
 * HTTP(S), paying them through the node's {@link Payer} within its caps, else the origins; the bytes are verified
 * and stored before the blob is kept. relay-bandwidth calls it to obtain what it relays, so the node keeps one
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

  /**
   * Like {@link #fetch}, but returns as soon as a source answers with the blob's size: its bytes then arrive as the
   * store takes them ({@link Incoming.Arriving}). A blob held already, or obtained by a concurrent fetch (which this
   * call waits for rather than fetching it twice), or from a source that gives no size, is {@link Incoming.Held}.
   *
   * @throws IOException when no source served it
   */
  Incoming open(String sha256, String blake3) throws IOException;

  sealed interface Incoming {
    record Held(BlobInfo blob) implements Incoming {}

    /**
     * A blob being fetched: {@code body} gives its bytes from the first, bounded by what the store has taken (the
     * faster of the two waits), and ends only once the blob is verified (BLAKE3, and sha256 when known) and
     * committed; a blob that fails its hashes, or a source that breaks off, ends it with an {@link IOException}
     * and nothing is kept. Closing it early only stops the copy: the fetch goes on into the store.
     *
     * @param size the size the source announced (the body fails if the bytes are not that many)
     */
    record Arriving(long size, InputStream body) implements Incoming {}
  }
}
