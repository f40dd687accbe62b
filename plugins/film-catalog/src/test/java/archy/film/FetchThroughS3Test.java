package archy.film;

import archy.testing.S3rver;

/**
 * The fetch-through tests of {@link FetchThroughTest} with the fetching node's blob bytes in a bucket of a real S3
 * server (s3rver): what B fetches is verified, stored in S3 and served from there, by sha256, {@code /b3/} and ranges.
 */
class FetchThroughS3Test extends FetchThroughTest {
  /** B's prefix, a new one per test (one instance per test method), so B's objects never meet another test's. */
  private S3rver.Prefix s3;

  @Override
  String storeB() throws Exception {
    s3 = S3rver.sharedPrefix("fetched");
    return "[blossom]\n" + s3.blossomConfig();
  }

  @Override
  boolean storedOnB(String sha256) {
    return s3.holds(sha256);
  }

  @Override
  long stagedOnB() throws Exception {
    return s3.staging();
  }
}
