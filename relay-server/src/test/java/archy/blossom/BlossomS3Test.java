package archy.blossom;

import archy.testing.S3rver;
import org.junit.jupiter.api.BeforeAll;

/**
 * The whole Blossom suite of {@link BlossomServerTest} with the blob bytes in a bucket of a real S3 server
 * (s3rver, shared by this JVM's S3 tests), under a key prefix: {@code [blossom] store = "s3"}.
 */
class BlossomS3Test extends BlossomServerTest {
  @Override
  @BeforeAll
  void start() throws Exception {
    S3rver.Prefix s3 = S3rver.sharedPrefix("suite");
    startNode(s3.blossomConfig());
    bytesStored = s3::holds;
  }
}
