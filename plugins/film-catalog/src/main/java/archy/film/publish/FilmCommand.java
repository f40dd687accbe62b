package archy.film.publish;

import archy.cli.CliCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code archy film …}: publish films to a node and manage the ones this key published. */
@Command(name = "film", mixinStandardHelpOptions = true,
    description = "Publish films (video or HLS folder → Blossom HLS blobs → signed kind 30082) and manage them.",
    subcommands = {PublishCommand.class, FilmListCommands.List.class, FilmListCommands.Show.class,
        FilmListCommands.Unpublish.class, FilmKeyCommands.Grant.class, FilmKeyCommands.Revoke.class,
        FilmKeyCommands.Viewers.class, FilmKeyCommands.Keygen.class})
public final class FilmCommand implements CliCommand {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(System.err);
    return 1;
  }
}
