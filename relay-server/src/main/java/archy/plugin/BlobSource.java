package archy.plugin;

import java.io.IOException;
import java.io.InputStream;

/**
 * Where a blob the node does not hold can be fetched from ({@code onBlobMissing}). The host reads the
 * stream into its store, checks every hash given here and the one the client asked for, and only then
 * serves the bytes; a mismatch keeps nothing.
 *
 * @param sha256 expected sha256, or null
 * @param blake3 expected BLAKE3, or null
 * @param type the MIME type to store, or null to sniff it
 * @param owner a pubkey to record as the blob's owner (so unowned retention does not prune it), or null
 */
public record BlobSource(String sha256, String blake3, String type, String owner, Opener opener) {

  /** Opens the bytes, e.g. an HTTP response body from a seeder; called once, on a virtual thread. */
  @FunctionalInterface
  public interface Opener {
    InputStream open() throws IOException;
  }
}
