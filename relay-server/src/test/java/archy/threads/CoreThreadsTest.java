package archy.threads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A core thread that dies takes the process down with a loud line, in a real JVM of its own. */
class CoreThreadsTest {
  /** The child process: a core thread that runs out of memory while main waits, as a wedged node would. */
  public static final class Dies {
    public static void main(String[] args) throws Exception {
      CoreThreads.start("archy-store-writer", () -> {
        throw new OutOfMemoryError("simulated: Java heap space");
      });
      Thread.sleep(120_000);
      System.exit(0); // not reached when the death is handled
    }
  }

  @Test
  void anErrorInACoreThreadExitsTheProcessNonZero() throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Dies.class.getName())
        .redirectErrorStream(true).start();
    assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the process exited instead of wedging");
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(CoreThreads.EXIT_CODE, child.exitValue(), output);
    assertTrue(output.contains("FATAL: core thread archy-store-writer died"), output);
  }
}
