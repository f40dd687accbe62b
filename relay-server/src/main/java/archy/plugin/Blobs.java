package archy.plugin;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** The node's blob store as plugins see it: look up, read ranges, and store with hash checks. */
public interface Blobs {
  Optional<BlobInfo> bySha256(String sha256);

  Optional<BlobInfo> byBlake3(String blake3);

  /**
   * How many of these blobs the node holds, in indexed queries: entry i is known by {@code sha256s.get(i)},
   * {@code blake3s.get(i)} or both (null where unknown), and counts once (film-catalog's
   * {@code availability.local} counts a film's blob set per listed film).
   */
  int countHeld(List<String> sha256s, List<String> blake3s);

  /** The bytes {@code [offset, offset + length)} of a held blob; the range is clamped to the blob. */
  InputStream open(BlobInfo blob, long offset, long length) throws IOException;

  /**
   * Opens {@code source} and streams it into the store (temp file, both hashes in one pass, fsync, atomic
   * rename), then indexes it. Nothing is kept when a hash the source names does not match or the bytes
   * exceed {@code maxBytes}. Blocks until done: call it from a virtual thread or the scheduler.
   */
  StoreResult store(BlobSource source, long maxBytes) throws IOException;

  /**
   * Answers a GET or HEAD of the blob with this BLAKE3 exactly as Blossom's {@code /b3/<blake3>} does: ranges,
   * 304, the {@code rejectGet} policies (a paid blob asks for payment), fetch-through via {@code onBlobMissing},
   * and {@code onBlobServed}. For a plugin route that serves blobs under its own path (film-catalog's
   * {@code /api/film/<blake3>}), so no policy is bypassed by asking under another path.
   */
  void serve(Request request, Response response, Callback callback, String blake3);

  sealed interface StoreResult {
    /** {@code created} is false when the node already held these bytes. */
    record Stored(BlobInfo blob, boolean created) implements StoreResult {}

    record Refused(String reason) implements StoreResult {}
  }
}
