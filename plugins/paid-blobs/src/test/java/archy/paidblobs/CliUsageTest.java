package archy.paidblobs;

import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.cli.CliCommand;
import archy.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** With every shipped plugin on the class path, the one usage lists each command a plugin adds. */
class CliUsageTest {
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
