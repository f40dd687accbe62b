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
 * Runs the JavaScript interop clients in src/test/node with the machine's Node.js, installing their npm
 * packages on first use. Without Node the interop tests are skipped with a reason, except in CI.
 */
public final class NodeScripts {
  public static final Path DIR = Path.of("src/test/node").toAbsolutePath();

  private NodeScripts() {}

  public record Result(int exitCode, String output) {}

  public static Result run(String script, String... args) throws Exception {
    String node = find("node");
    if (node == null) {
      if ("true".equals(System.getenv("CI"))) throw new AssertionError("Node.js is required in CI for interop tests");
      assumeTrue(false, "Node.js not found on PATH: skipping the JavaScript interop test");
    }
    ensureInstalled();
    List<String> command = new ArrayList<>(List.of(node, DIR.resolve(script).toString()));
    command.addAll(List.of(args));
    return exec(command, 120);
  }

  private static synchronized void ensureInstalled() throws Exception {
    Path marker = DIR.resolve("node_modules/.package-lock.json");
    if (Files.exists(marker) && Files.getLastModifiedTime(marker).compareTo(
        Files.getLastModifiedTime(DIR.resolve("package-lock.json"))) >= 0) {
      return;
    }
    String npm = find("npm");
    if (npm == null) throw new AssertionError("npm is needed to install the interop test packages");
    Result r = exec(List.of(npm, "ci", "--no-audit", "--no-fund"), 300);
    if (r.exitCode() != 0) throw new AssertionError("npm ci failed:\n" + r.output());
  }

  private static Result exec(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).directory(DIR.toFile()).redirectErrorStream(true).start();
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
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, program);
      if (Files.isExecutable(candidate)) return candidate.toString();
    }
    return null;
  }
}
