package archy.cli;

import archy.config.ConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code archy <command>}: the node's command line. */
@Command(name = "archy", mixinStandardHelpOptions = true, version = "archy 0.1.0",
    customSynopsis = "./archy <command> [options]",
    description = "Archipelago relay: a Nostr relay and Blossom server for an open film network.",
    subcommands = {RunCommand.class, SyncCommand.class, AdminCommand.class, TrainCommand.class, CommandLine.HelpCommand.class},
    footer = "%n'./archy <command> --help' shows the options of a command.")
public final class Main implements Runnable {
  /** Commands the ./archy launcher runs itself (they need Maven, not a built node); listed in the same usage. */
  static final Map<String, String> LAUNCHER_COMMANDS = Map.of(
      "test", "Run every test with Maven, as CI does; Maven arguments follow (-Dtest=RelayProtocolTest).",
      "build", "Build every module without running tests; on JDK 25+ also train the start-up cache.");

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
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Main());
    // A configuration mistake is the operator's to fix: one line per problem, no stack trace.
    cl.setExecutionExceptionHandler((e, command, parsed) -> {
      if (!(e instanceof ConfigException)) throw e;
      for (String line : e.getMessage().split("\n")) System.err.println("archy: " + line);
      return 2;
    });
    for (CliCommand command : ServiceLoader.load(CliCommand.class)) cl.addSubcommand(command);
    cl.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST, help -> commandList(cl));
    return cl;
  }

  /** Every command, the launcher's among them: run first, help last, the others by name. */
  private static String commandList(CommandLine cl) {
    List<String[]> rows = new ArrayList<>();
    cl.getSubcommands().forEach((name, sub) -> {
      var usage = sub.getCommandSpec().usageMessage();
      if (usage.hidden()) return;
      String[] text = usage.header().length > 0 ? usage.header() : usage.description();
      rows.add(new String[] {name, text.length == 0 ? "" : firstSentence(text[0])});
    });
    LAUNCHER_COMMANDS.forEach((name, description) -> rows.add(new String[] {name, description}));
    rows.sort((a, b) -> rank(a[0]) != rank(b[0]) ? Integer.compare(rank(a[0]), rank(b[0])) : a[0].compareTo(b[0]));
    int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
    StringBuilder out = new StringBuilder();
    for (String[] row : rows) out.append("  ").append(String.format("%-" + width + "s", row[0])).append("  ")
        .append(row[1]).append(System.lineSeparator());
    return out.toString();
  }

  private static String firstSentence(String text) {
    int end = text.length();
    for (String stop : List.of(". ", " (")) {
      int at = text.indexOf(stop);
      if (at > 0 && at < end) end = at;
    }
    return text.substring(0, end).replaceAll("\\.$", "") + ".";
  }

  private static int rank(String command) {
    return switch (command) {
      case "run" -> 0;
      case "help" -> 2;
      default -> 1;
    };
  }
}
