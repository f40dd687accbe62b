package archy.blossom;

import archy.nostr.Keys;
import archy.testing.BlossomCalls;
import archy.testing.TestNode;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Starts a node for load tools to measure Blossom throughput from outside (docs/benchmarks.md): prints
 * its URL and a BUD-11 upload header, then serves until killed. A main, not a test:
 * {@code java -cp target/classes:target/test-classes:target/lib/* archy.blossom.BlossomBenchmark DIR}.
 */
final class BlossomBenchmark {
  private BlossomBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("archy-bench");
    TestNode node = TestNode.start(dir, "[blossom]\nmax_upload_bytes = 4294967296\n");
    Keys keys = Keys.generate();
    System.out.println("url " + node.httpUrl());
    System.out.println("auth " + BlossomCalls.header(BlossomCalls.token(keys, "upload", java.util.List.of())));
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
