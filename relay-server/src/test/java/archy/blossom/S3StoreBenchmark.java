package archy.blossom;

import archy.nostr.Keys;
import archy.testing.BlossomCalls;
import archy.testing.S3rver;
import archy.testing.TestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/**
 * Blob PUT and GET of 64 MiB on the file store vs an S3 bucket (s3rver on the same machine), interleaved
 * trials, medians and ratios (docs/benchmarks.md). Run after {@code mvn package -DskipTests} from relay-server:
 * {@code java -cp target/classes:target/test-classes:target/lib/* archy.blossom.S3StoreBenchmark [trials]}.
 */
final class S3StoreBenchmark {
  private S3StoreBenchmark() {}

  public static void main(String[] args) throws Exception {
    int trials = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    Path dir = Files.createTempDirectory("archy-s3-bench");
    String limits = "[blossom]\nmax_upload_bytes = 1073741824\n";
    try (S3rver s3 = S3rver.start(dir.resolve("s3"));
         TestNode file = TestNode.start(dir.resolve("file"), limits);
         TestNode bucket = TestNode.start(dir.resolve("bucket"), limits + s3.blossomConfig("bench/"))) {
      Keys keys = Keys.generate();
      double[][] put = new double[2][trials];
      double[][] get = new double[2][trials];
      TestNode[] nodes = {file, bucket};
      for (int t = 0; t < trials; t++) {
        byte[] blob = new byte[64 << 20];
        new Random(t).nextBytes(blob);
        for (int n = 0; n < 2; n++) {
          BlossomCalls calls = new BlossomCalls(nodes[n].httpUrl());
          long start = System.nanoTime();
          int status = calls.upload(keys, blob, "video/mp4").statusCode();
          put[n][t] = (System.nanoTime() - start) / 1e6;
          if (status != 201) throw new AssertionError("upload " + status);
          start = System.nanoTime();
          byte[] back = calls.get("/" + BlossomCalls.sha256(blob)).body();
          get[n][t] = (System.nanoTime() - start) / 1e6;
          if (back.length != blob.length) throw new AssertionError("short GET");
        }
      }
      report("PUT 64 MiB", put);
      report("GET 64 MiB", get);
    }
  }

  private static void report(String what, double[][] ms) {
    double f = median(ms[0]);
    double s = median(ms[1]);
    System.out.printf("%s: file %.0f ms (%.0f MiB/s), s3 %.0f ms (%.0f MiB/s), s3/file %.2f%n", what, f, 64e3 / f, s,
        64e3 / s, s / f);
  }

  private static double median(double[] v) {
    double[] c = v.clone();
    Arrays.sort(c);
    return c[c.length / 2];
  }
}
