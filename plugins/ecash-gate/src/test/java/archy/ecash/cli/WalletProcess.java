package archy.ecash.cli;

import archy.ecash.encoding.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code archy wallet …} run as a real process on this test's class path, as the launcher runs it. */
final class WalletProcess {
  /** What a finished run printed and returned. */
  record Result(int exit, String stdout, String stderr) {
    /** The last line of stdout as JSON (the result; {@code mint} prints the invoice first). */
    JsonNode json() throws IOException {
      String[] lines = stdout.strip().split("\n");
      return Json.mapper().readTree(lines[lines.length - 1]);
    }
  }

  /** A started run: the process and the files its output goes to. */
  record Run(Process process, Path stdout, Path stderr) {
    Result await() throws Exception {
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("archy wallet did not finish: " + Files.readString(stderr));
      }
      return new Result(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
          Files.readString(stderr, StandardCharsets.UTF_8));
    }
  }

  private final Path config;
  private final Path dir;
  private int runs;

  WalletProcess(Path config, Path dir) {
    this.config = config;
    this.dir = dir;
  }

  /** Starts {@code archy wallet <args> --config <config>}. */
  Run start(String... args) throws IOException {
    return startWith(List.of(), args);
  }

  /** As {@link #start}, with JVM options (system properties) first. */
  synchronized Run startWith(List<String> jvm, String... args) throws IOException {
    String java = ProcessHandle.current().info().command().orElseThrow();
    List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED"));
    command.addAll(jvm);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "archy.cli.Main", "wallet"));
    command.addAll(List.of(args));
    command.addAll(List.of("--config", config.toString()));
    int n = ++runs;
    Path out = dir.resolve("run-" + n + ".out");
    Path err = dir.resolve("run-" + n + ".err");
    Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    return new Run(p, out, err);
  }

  Result run(String... args) throws Exception {
    return start(args).await();
  }
}
