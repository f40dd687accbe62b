package archy.ecash.cli;

import archy.cli.CliCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code archy wallet …}: the node's ecash wallet by hand (its database and {@code [ecash-gate] mints}), usable
 * while the node runs. Every subcommand takes {@code --config} and {@code --json}; exit codes are {@link Exit}'s.
 */
@Command(name = "wallet", mixinStandardHelpOptions = true,
    description = "The node's Cashu wallet: balance, mint, receive, send, melt, swap, pending, resume, pairs, history.",
    footer = {"", "Exit codes:",
        "  0  done",
        "  1  refused, nothing moved (mint not allowed, not enough funds, fee over the cap, the mint said no)",
        "  2  bad usage or configuration",
        "  3  a mint could not be reached or its answer was lost: `archy wallet resume` finishes it",
        "  4  not finished yet (invoice expired unpaid, a payment in flight: `archy wallet pending`)"},
    subcommands = {ViewCommands.Balance.class, MoneyCommands.MintEcash.class, MoneyCommands.Receive.class,
        MoneyCommands.Send.class, MoneyCommands.Melt.class, MoneyCommands.Swap.class, ViewCommands.PendingOps.class,
        ViewCommands.Resume.class, ViewCommands.Pairs.class, ViewCommands.History.class})
public final class WalletCommand implements CliCommand {
  @Spec CommandSpec spec;

  /** The exit codes every subcommand uses. */
  static final class Exit {
    static final int DONE = 0;
    static final int REFUSED = 1;
    static final int USAGE = 2;
    static final int UNKNOWN = 3;
    static final int NOT_FINISHED = 4;

    private Exit() {}
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(System.out);
    return Exit.USAGE;
  }
}
