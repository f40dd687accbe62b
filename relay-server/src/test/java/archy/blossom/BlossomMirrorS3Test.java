package archy.blossom;

import archy.testing.S3rver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The BUD-04 tests of {@link BlossomMirrorTest} with the mirroring node's bytes in a bucket of a real S3 server. */
class BlossomMirrorS3Test extends BlossomMirrorTest {
  private static final String PREFIX = "mirror/";
  static S3rver s3;

  @Override
  @BeforeAll
  void start() throws Exception {
    s3 = S3rver.start(dir.resolve("s3"));
    startNodes(s3.blossomConfig(PREFIX));
  }

  @Override
  long mirrorStaging() throws Exception {
    return s3.staging(PREFIX);
  }

  @Override
  boolean mirrorHolds(String sha256) {
    return s3.holds(PREFIX, sha256);
  }

  @Override
  @AfterAll
  void stop() throws Exception {
    super.stop();
    s3.close();
  }
}
