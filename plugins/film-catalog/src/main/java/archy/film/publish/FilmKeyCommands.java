package archy.film.publish;

import archy.film.did.CreatorKey;
import archy.nostr.Keys;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code archy film grant | revoke | viewers} (who may have a private film's key, on the publishing node) and
 * {@code archy film keygen --creator} (a creator's Ed25519 did:key file for {@code publish --creator-key}).
 */
final class FilmKeyCommands {
  private FilmKeyCommands() {}

  /** grant and revoke differ only in the verb. */
  abstract static class ViewerCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "The film's d (a film this key published with --private).")
    String d;

    @Parameters(index = "1", description = "The viewer's public key, npub1... or hex.")
    String viewer;

    @Mixin NodeOptions node;

    abstract boolean grant();

    @Override
    public Integer call() throws Exception {
      String name = grant() ? "grant" : "revoke";
      try {
        String hex = Keys.parsePublicKey(viewer);
        var viewers = new KeyClient(NodeOptions.http(), node.nodeUrl(), node.keys(), Clock.systemUTC())
            .grant(d, hex, grant());
        node.out().println((grant() ? "granted " : "revoked ") + hex + " for " + d + "; viewers now: "
            + viewers.size());
        return 0;
      } catch (PublishException | IllegalArgumentException e) {
        node.err().println("archy film " + name + ": " + e.getMessage());
        return 1;
      }
    }
  }

  @Command(name = "grant", mixinStandardHelpOptions = true,
      description = "Let a viewer (NIP-98 signed by that key) fetch a private film's key from the publishing node.")
  static final class Grant extends ViewerCommand {
    @Override
    boolean grant() {
      return true;
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true,
      description = "Stop handing a private film's key to a viewer (segments it already decrypted stay decrypted).")
  static final class Revoke extends ViewerCommand {
    @Override
    boolean grant() {
      return false;
    }
  }

  @Command(name = "viewers", mixinStandardHelpOptions = true,
      description = "The viewers granted a private film's key (hex, one a line).")
  static final class Viewers implements Callable<Integer> {
    @Parameters(index = "0", description = "The film's d.")
    String d;

    @Mixin NodeOptions node;

    @Override
    public Integer call() throws Exception {
      try {
        for (String v : new KeyClient(NodeOptions.http(), node.nodeUrl(), node.keys(), Clock.systemUTC()).viewers(d)) {
          node.out().println(v);
        }
        return 0;
      } catch (PublishException e) {
        node.err().println("archy film viewers: " + e.getMessage());
        return 1;
      }
    }
  }

  @Command(name = "keygen", mixinStandardHelpOptions = true,
      description = "Make a film creator's Ed25519 key (did:key) file for publish --creator-key; prints the did:key.")
  static final class Keygen implements Callable<Integer> {
    @Option(names = "--creator", required = true, description = "A creator key (Ed25519 did:key, PROTOCOLS.md 2.3).")
    boolean creator;

    @Option(names = "--out", defaultValue = "creator.key", description = "The file to write (default: ${DEFAULT-VALUE}); "
        + "an existing file is never overwritten.")
    Path out;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      CreatorKey key = CreatorKey.generate();
      try {
        key.write(out);
      } catch (FileAlreadyExistsException e) {
        spec.commandLine().getErr().println("archy film keygen: " + out + " exists; not overwritten");
        return 1;
      }
      spec.commandLine().getOut().println(key.did().did());
      spec.commandLine().getErr().println("creator key written to " + out + " (keep it secret)");
      return 0;
    }
  }
}
