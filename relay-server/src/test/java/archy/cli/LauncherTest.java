package archy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The ./archy launcher's JDK discovery, run as a real bash process with a controlled environment. */
class LauncherTest {
  private static final Path LAUNCHER = Path.of("..", "archy").toAbsolutePath().normalize();

  record Run(int exit, String output) {}

  static Run launcher(Map<String, String> env, String... args) throws Exception {
    var command = new java.util.ArrayList<>(java.util.List.of("bash", LAUNCHER.toString()));
    command.addAll(java.util.List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().clear();
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    return new Run(p.exitValue(), out);
  }

  @Test
  void saysClearlyWhenNoJdk21Exists() throws Exception {
    Run r = launcher(Map.of("PATH", "/nonexistent", "JAVA_HOME", "/nonexistent", "ARCHY_JDK_SEARCH", "/nonexistent/*"),
        "run");
    assertEquals(1, r.exit(), r.output());
    assertTrue(r.output().contains("no JDK 21 or newer found"), r.output());
  }

  @Test
  void skipsATooOldJavaHomeAndFindsANewerJdk() throws Exception {
    String current = System.getProperty("java.home");
    Path old = Path.of("/usr/lib/jvm/java-17-openjdk-amd64");
    assumeTrue(Files.isDirectory(old), "no JDK 17 on this machine to stand for a too-old JAVA_HOME");
    Run r = launcher(Map.of("PATH", "/usr/bin:/bin", "JAVA_HOME", old.toString(),
        "ARCHY_JDK_SEARCH", Path.of(current).toString()), "--help");
    assertEquals(0, r.exit(), r.output());
    assertTrue(r.output().contains("Usage: ./archy <command>"), r.output());
  }

  /** Built or not, help is one usage that lists every command (after a build the node's CLI prints it). */
  @Test
  void helpIsOneUsageListingEveryCommand() throws Exception {
    Map<String, String> env = Map.of("PATH", "/usr/bin:/bin", "JAVA_HOME", System.getProperty("java.home"));
    for (String[] args : new String[][] {{"help"}, {"--help"}, {}}) {
      Run r = launcher(env, args);
      assertEquals(0, r.exit(), r.output());
      assertEquals(1, r.output().split("Usage:", -1).length - 1, r.output());
      for (String command : List.of("run", "test", "build", "mint", "fetch", "help")) {
        assertTrue(Pattern.compile("(?m)^\\s+(\\./archy )?" + command + "\\b").matcher(r.output()).find(),
            command + " is listed:\n" + r.output());
      }
    }
  }
}
