package archy.paidblobs;

import archy.testing.S3rver;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code archy/paid-blobs/1} tests of {@link QuicPaidBlobsTest} with every node's blob bytes in one bucket of a
 * real S3 server (s3rver), each node under a key prefix of its own: A serves from S3, cold B fetches into S3.
 */
class QuicPaidBlobsS3Test extends QuicPaidBlobsTest {
  /** Each node's prefix in the running test: a new one per node start, so tests never share objects. */
  private final Map<String, S3rver.Prefix> prefixes = new HashMap<>();

  @Override
  String store(String name) throws Exception {
    S3rver.Prefix s3 = S3rver.sharedPrefix(name);
    prefixes.put(name, s3);
    return s3.blossomConfig();
  }

  @Override
  boolean stored(String name, Path data, String sha256) {
    return prefixes.get(name).holds(sha256);
  }
}
