package archy.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Programs outside the JVM that some tests drive (node, npm, ffmpeg, chromium): where they are, and what a
 * test does when one is missing: skip with the reason on a developer's machine, fail in CI ({@code CI=true}),
 * where {@code .ci/run} installs them, so a missing tool can never turn a CI run green by skipping.
 */
public final class ExternalTools {
  private ExternalTools() {}

  /** The program's path on {@code PATH}, or null. */
  public static String find(String program) {
    String path = System.getenv("PATH");
    if (path == null) return null;
    for (String d : path.split(File.pathSeparator)) {
      Path candidate = Path.of(d, program);
      if (Files.isExecutable(candidate)) return candidate.toString();
    }
    return null;
  }

  /** Fails in CI, else aborts the running test as skipped; {@code why} names the tool and what needs it. */
  public static void missing(String why) {
    if (inCi()) throw new AssertionError(why + " (required in CI; .ci/run installs it)");
    assumeTrue(false, why + ": skipping");
  }

  static boolean inCi() {
    return "true".equals(System.getenv("CI"));
  }
}
