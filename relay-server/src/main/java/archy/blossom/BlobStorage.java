package archy.blossom;

import archy.plugin.BlobInfo;
import archy.plugin.DeliveryMeter;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Where blob bytes live, named by their sha256: local files ({@link BlobFiles}) or an S3 bucket
 * ({@link S3Storage}). Bytes are immutable once named. New bytes go to a {@link Sink} and become visible
 * under their hash only when the {@link Staged} result is committed, after both hashes were checked, so no
 * reader ever sees a partial or unverified blob. The index rows, and the ordering of bytes against rows,
 * belong to {@link BlobStore}; a storage never decides whether a blob is held.
 */
sealed interface BlobStorage extends AutoCloseable permits BlobFiles, S3Storage {

  /** A new blob's bytes, written in order; nothing is kept unless {@link #finish} is followed by a commit. */
  interface Sink extends AutoCloseable {
    void write(byte[] bytes, int offset, int length) throws IOException;

    /** Every byte is written and durable in the staging area. */
    Staged finish() throws IOException;

    /** Drops what was written (a failed or refused upload); safe after {@link #finish} too. */
    @Override
    void close();
  }

  /** Finished bytes not yet visible under any hash. */
  interface Staged {
    /** Names the bytes {@code sha256}; when a blob of that name exists the staged copy is dropped instead. */
    void commit(String sha256) throws IOException;

    /** Drops the staged bytes. */
    void discard();
  }

  /**
   * A byte range of a stored blob, opened (so a missing blob is known before any response header is sent)
   * and ready to stream into a response.
   */
  interface Body {
    /**
     * Streams the range without holding a request thread while the client is slow, counting each chunk on
     * {@code meter} as it is handed over; ends the meter and completes {@code done} however it ends.
     */
    void send(Response response, Callback done, DeliveryMeter meter);

    /** Releases the body when it is not sent after all. */
    void close();
  }

  /**
   * A cheap check that the bytes are there, made on every lookup. Files are checked (a file removed by hand
   * is not served); a bucket answers true, as a network round trip per lookup would cost more than a GET
   * that finds the object gone (404).
   */
  boolean exists(String sha256);

  Sink newSink() throws IOException;

  /** Opens {@code length} bytes from {@code first} of the blob, which the index says has {@code blob.size()}. */
  Body open(BlobInfo blob, long first, long length) throws IOException;

  /** The same range as a blocking stream (plugins, re-hashing); the caller closes it. */
  InputStream read(BlobInfo blob, long first, long length) throws IOException;

  /** The whole blob named {@code sha256} as stored, whatever its index says (reconciling). */
  InputStream readAll(String sha256) throws IOException;

  void delete(String sha256) throws IOException;

  /** The sha256 names of every stored blob, for reconciling them with the index. */
  List<String> storedHashes() throws IOException;

  /** Where the bytes are, for log lines. */
  String describe();

  @Override
  void close() throws IOException;
}
