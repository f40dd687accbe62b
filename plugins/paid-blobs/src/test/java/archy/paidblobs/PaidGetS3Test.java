package archy.paidblobs;

import archy.testing.S3rver;
import org.junit.jupiter.api.BeforeAll;

/** The paid GETs of {@link PaidGetTest} with the node's blob bytes in a bucket of a real S3 server (s3rver). */
class PaidGetS3Test extends PaidGetTest {
  @Override
  @BeforeAll
  void start() throws Exception {
    S3rver.Prefix s3 = S3rver.sharedPrefix("paid-get");
    n = PaidNode.withStore(dir, PAID_BLOBS, "", s3.blossomConfig());
    bytesStored = s3::holds;
  }
}
