package archy.plugin;

import java.util.Optional;

/**
 * Asked when a client GETs a blob the node does not hold ({@code onBlobMissing}); the first plugin that
 * returns a source wins. Exactly one of {@code sha256} and {@code blake3} is set: the address requested.
 * Must answer quickly: the fetch itself happens when the host opens the source.
 */
@FunctionalInterface
public interface MissingBlobHook {
  Optional<BlobSource> sourceFor(String sha256, String blake3, Origin origin);
}
