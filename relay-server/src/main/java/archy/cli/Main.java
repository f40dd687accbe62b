package archy.cli;

import archy.config.ConfigException;
import java.util.ServiceLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code archy <command>}: the node's command line. */
@Command(name = "archy", mixinStandardHelpOptions = true, version = "archy 0.1.0",
    description = "Archipelago relay: a Nostr relay and Blossom server for an open film network.",
    subcommands = {RunCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    int code = commandLine().execute(args);
    if (code != 0) System.exit(code);
  }

  /** The built-in commands plus those plugins contribute ({@link CliCommand}). */
  static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Main());
    // A configuration mistake is the operator's to fix: one line per problem, no stack trace.
    cl.setExecutionExceptionHandler((e, command, parsed) -> {
      if (!(e instanceof ConfigException)) throw e;
      for (String line : e.getMessage().split("\n")) System.err.println("archy: " + line);
      return 2;
    });
    for (CliCommand command : ServiceLoader.load(CliCommand.class)) cl.addSubcommand(command);
    return cl;
  }
}
