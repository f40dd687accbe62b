package archy.blossom;

import archy.testing.S3rver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The whole Blossom suite of {@link BlossomServerTest} with the blob bytes in a bucket of a real S3 server
 * (s3rver, started here), under a key prefix: {@code [blossom] store = "s3"}.
 */
class BlossomS3Test extends BlossomServerTest {
  static S3rver s3;

  @Override
  @BeforeAll
  void start() throws Exception {
    s3 = S3rver.start(dir.resolve("s3"));
    startNode(s3.blossomConfig("suite/"));
    bytesStored = sha -> s3.holds("suite/", sha);
  }

  @Override
  @AfterAll
  void stop() throws Exception {
    super.stop();
    s3.close();
  }
}
