package archy.ecash.cli;

import archy.ecash.encoding.Json;
import archy.ecash.mint.MintException;
import archy.ecash.mint.MintRejectedException;
import archy.ecash.wallet.WalletException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Option;

/**
 * What every {@code archy wallet} subcommand shares: {@code --config}, {@code --data-dir}, {@code --json}, opening
 * the node's wallet, and turning failures into a message (JSON with {@code --json}) and an exit code. Messages
 * never hold secrets, tokens or quote ids (the wallet's and the mint client's never do).
 */
abstract class WalletSubcommand implements Callable<Integer> {
  @Option(names = "--config", description = "TOML configuration file of the node (ARCHY_CONFIG).")
  Path configFile;

  @Option(names = "--data-dir", description = "The node's data directory (ARCHY_DATA_DIR; default ./data).")
  Path dataDir;

  @Option(names = "--json", description = "Print JSON instead of text.")
  boolean json;

  PrintStream out = System.out;
  PrintStream err = System.err;

  /** The subcommand's work; returns its exit code. */
  abstract int run(NodeWallet node) throws Exception;

  @Override
  public final Integer call() {
    NodeWallet node;
    try {
      node = NodeWallet.open(configFile, dataDir);
    } catch (IOException | RuntimeException e) {
      return fail(WalletCommand.Exit.USAGE, "cannot open the node's wallet: " + e.getMessage());
    } catch (java.sql.SQLException e) {
      return fail(WalletCommand.Exit.USAGE, "cannot open the node's database: " + e.getMessage());
    }
    try (node) {
      return run(node);
    } catch (WalletException e) {
      return fail(WalletCommand.Exit.REFUSED, e.getMessage());
    } catch (MintRejectedException e) {
      return fail(WalletCommand.Exit.REFUSED, "the mint refused: " + e.getMessage());
    } catch (MintException e) {
      return fail(WalletCommand.Exit.UNKNOWN, "the mint could not be reached or its answer was lost (" + e.getMessage()
          + "); anything started is kept: `archy wallet resume` finishes it");
    } catch (IllegalArgumentException e) {
      return fail(WalletCommand.Exit.USAGE, e.getMessage());
    } catch (Exception e) {
      return fail(WalletCommand.Exit.UNKNOWN, e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  /** Prints {@code node} as one line of JSON. */
  void printJson(JsonNode node) {
    try {
      out.println(Json.mapper().writeValueAsString(node));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
    out.flush();
  }

  ObjectNode object() {
    return Json.mapper().createObjectNode();
  }

  /** Progress for people, on stderr (never with --json). */
  void progress(String line) {
    if (!json) err.println(line);
  }

  int fail(int code, String message) {
    if (json) {
      printJson(object().put("error", message).put("exit", code));
    } else {
      err.println("archy wallet: " + message);
    }
    return code;
  }
}
