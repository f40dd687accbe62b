package archy.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code archy run} in a JVM of its own (the test's class path), for what only a real process shows. */
public final class RelayProcess implements AutoCloseable {
  public final Process process;
  public final int port;
  private final StringBuilder output = new StringBuilder();

  private RelayProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts it on a free port with {@code toml} as its config file; returns once it serves. */
  public static RelayProcess start(Path dir, String toml, String... jvmOptions) throws IOException {
    int port = TestNode.freePort();
    Path config = Files.writeString(dir.resolve("archy.toml"), toml);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(jvmOptions));
    command.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
        "archy.cli.Main", "run", "--port", String.valueOf(port), "--data-dir", dir.resolve("data").toString(),
        "--config", config.toString()));
    RelayProcess relay = new RelayProcess(new ProcessBuilder(command).redirectErrorStream(true).start(), port);
    BufferedReader out = new BufferedReader(new InputStreamReader(relay.process.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null && !line.startsWith("archy relay serving")) relay.append(line);
    if (line == null || !line.contains("http://127.0.0.1:" + port)) {
      throw new IllegalStateException("the relay did not start: " + relay.output());
    }
    Thread.ofPlatform().daemon().start(() -> out.lines().forEach(relay::append));
    return relay;
  }

  public String wsUrl() {
    return "ws://127.0.0.1:" + port;
  }

  /** What it printed so far. */
  public synchronized String output() {
    return output.toString();
  }

  private synchronized void append(String line) {
    output.append(line).append('\n');
  }

  /** SIGTERM, then a kill if it has not stopped in 30 s. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly();
  }
}
