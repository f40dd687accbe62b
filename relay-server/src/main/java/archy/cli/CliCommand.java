package archy.cli;

import java.util.concurrent.Callable;

/**
 * A subcommand that a plugin adds to {@code archy}: a picocli {@code @Command} class (its {@code name} becomes
 * the subcommand) with a public no-argument constructor, listed in the plugin's
 * {@code META-INF/services/archy.cli.CliCommand}. {@link Main} finds these with {@link java.util.ServiceLoader},
 * so a plugin on the class path (the launcher puts {@code plugins/*}{@code /target} there) brings its own
 * commands, e.g. {@code archy mint} from ecash-gate. Two commands of the same name stop the CLI with an error.
 */
public interface CliCommand extends Callable<Integer> {}
