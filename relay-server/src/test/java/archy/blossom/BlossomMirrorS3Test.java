package archy.blossom;

import archy.testing.S3rver;
import org.junit.jupiter.api.BeforeAll;

/** The BUD-04 tests of {@link BlossomMirrorTest} with the mirroring node's bytes in a bucket of a real S3 server. */
class BlossomMirrorS3Test extends BlossomMirrorTest {
  private S3rver.Prefix s3;

  @Override
  @BeforeAll
  void start() throws Exception {
    s3 = S3rver.sharedPrefix("mirror");
    startNodes(s3.blossomConfig());
  }

  @Override
  long mirrorStaging() throws Exception {
    return s3.staging();
  }

  @Override
  boolean mirrorHolds(String sha256) {
    return s3.holds(sha256);
  }
}
