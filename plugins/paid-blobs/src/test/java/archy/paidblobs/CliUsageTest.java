package archy.paidblobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.cli.CliCommand;
import archy.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** With every shipped plugin on the class path, the one usage lists each command a plugin adds. */
class CliUsageTest {
  @TempDir
  Path dir;

  /** {@code archy fetch} reads the node's config the way {@code archy run} does, typos refused alike. */
  @Test
  void fetchRefusesAMistypedConfigLikeRun() throws Exception {
    Path file = dir.resolve("archy.toml");
    Files.writeString(file, "[paid-blobs.client]\nmax_sats_per_dya = 10\n");
    CommandLine cl = Main.commandLine();
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int exit;
    try {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      exit = cl.execute("fetch", "blake3:" + "ab".repeat(32), "--config", file.toString(), "--data-dir",
          dir.resolve("data").toString());
    } finally {
      System.setErr(err);
    }
    assertEquals(2, exit);
    assertEquals("archy: unknown key paid-blobs.client.max_sats_per_dya; did you mean"
        + " paid-blobs.client.max_sats_per_day?\n", captured.toString(StandardCharsets.UTF_8));
    assertFalse(Files.exists(dir.resolve("data")), "nothing was opened");
  }

  @Test
  void everyPluginCommandIsListed() {
    CommandLine cl = Main.commandLine();
    StringWriter out = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.execute("--help");
    String usage = out.toString();
    assertTrue(usage.contains("\n  fetch ") && usage.contains("\n  mint "), usage);
    for (CliCommand command : ServiceLoader.load(CliCommand.class)) {
      String name = new CommandLine(command).getCommandName();
      assertTrue(usage.contains("\n  " + name + " "), name + " is listed:\n" + usage);
    }
  }
}
