package archy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
  @TempDir
  Path dir;

  record Run(int exit, String out, String err) {}

  static Run archy(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      int exit = Main.commandLine().execute(args);
      return new Run(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  @Test
  void helpAndDashDashHelpPrintTheSameSingleUsage() {
    Run help = archy("help");
    assertEquals(0, help.exit());
    assertEquals(help.out(), archy("--help").out());
    assertEquals(1, help.out().split("Usage:", -1).length - 1, help.out());
    for (String command : List.of("run", "test", "build", "help")) {
      assertTrue(help.out().contains("\n  " + command + " "), command + " is listed:\n" + help.out());
    }
  }

  /** The training run of ./archy build's AOT cache: a whole start, one answer of each kind, nothing left behind. */
  @Test
  void trainRunsAThrowawayNodeAndLeavesNoDataBehind() throws Exception {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    List<Path> before;
    try (var s = Files.list(tmp)) {
      before = s.filter(p -> p.getFileName().toString().startsWith("archy-train")).toList();
    }
    Run r = archy("train");
    assertEquals(0, r.exit(), r.err());
    try (var s = Files.list(tmp)) {
      assertEquals(before, s.filter(p -> p.getFileName().toString().startsWith("archy-train")).toList());
    }
    assertTrue(!archy("help").out().contains("\n  train "), "an internal command, not in the usage");
  }

  @Test
  void aConfigMistakeIsOneLineWithoutAStackTrace() throws Exception {
    Path file = dir.resolve("archy.toml");
    Files.writeString(file, "[server]\nprot = 7000\n");
    Run r = archy("run", "--config", file.toString(), "--data-dir", dir.resolve("data").toString());
    assertEquals(2, r.exit(), r.err());
    assertEquals("archy: unknown key server.prot; did you mean server.port?\n", r.err());
  }

  @Test
  void aMissingConfigFileIsNamed() {
    Run r = archy("run", "--config", dir.resolve("nope.toml").toString());
    assertEquals(2, r.exit(), r.err());
    assertEquals("archy: config file " + dir.resolve("nope.toml") + " does not exist\n", r.err());
  }
}
