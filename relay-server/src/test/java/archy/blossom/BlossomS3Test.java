package archy.blossom;

import archy.testing.S3rver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
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
    bytesStored = sha -> objectFiles(s3.directory).anyMatch(p -> p.getFileName().toString().startsWith(sha));
  }

  @Override
  @AfterAll
  void stop() throws Exception {
    super.stop();
    s3.close();
  }

  /** s3rver keeps an object's bytes as {@code <dir>/<bucket>/<key>._S3rver_object}. */
  static Stream<Path> objectFiles(Path directory) {
    try (Stream<Path> all = Files.walk(directory)) {
      return all.filter(p -> p.getFileName().toString().endsWith("._S3rver_object")).toList().stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
