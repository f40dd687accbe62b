package archy.ecash.cli;

import archy.ecash.crypto.Digests;
import archy.ecash.lightning.Bolt11;
import archy.ecash.token.InvalidTokenException;
import archy.ecash.token.Proof;
import archy.ecash.token.Token;
import archy.ecash.wallet.Melted;
import archy.ecash.wallet.MintInvoice;
import archy.ecash.wallet.Received;
import archy.ecash.wallet.Transfer;
import archy.ecash.wallet.Wallet;
import archy.ecash.wallet.WalletException;
import archy.nostr.Hex;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The {@code archy wallet} subcommands that move value. */
final class MoneyCommands {
  private MoneyCommands() {}

  /** The default fee cap for melts and swaps: what mints commonly reserve (max 2 sat, 1%), with room to spare. */
  static long defaultMaxFee(long amount) {
    return Math.max(4, Math.ceilDiv(amount * 2, 100));
  }

  static String pickMint(Wallet wallet, String mint, long amount) throws Exception {
    return NodeWallet.pickMint(wallet, mint, amount);
  }

  @Command(name = "mint", mixinStandardHelpOptions = true,
      description = "Buy ecash (NUT-04): prints the invoice to pay, waits for the payment, mints. "
          + "With --json: one line with the invoice, then one with the result.")
  static final class MintEcash extends WalletSubcommand {
    @Parameters(index = "0", description = "Sats to mint.")
    long sats;

    @Option(names = "--mint", required = true, description = "The allow-listed mint to buy from.")
    String mint;

    @Option(names = "--timeout", description = "Give up waiting after this many seconds (default: the invoice's expiry).")
    Long timeoutSeconds;

    @Override
    int run(NodeWallet node) throws Exception {
      MintInvoice invoice = node.wallet().requestMint(mint, sats);
      if (json) {
        ObjectNode o = object().put("invoice", invoice.bolt11()).put("amount", invoice.amount()).put("mint", invoice.mint());
        if (invoice.expiry() != null) o.put("expiry", Instant.ofEpochSecond(invoice.expiry()).toString());
        printJson(o);
      } else {
        out.println(invoice.bolt11());
        out.flush();
      }
      long started = System.currentTimeMillis();
      long deadline = timeoutSeconds != null ? started + timeoutSeconds * 1000
          : invoice.expiry() != null ? invoice.expiry() * 1000 : Long.MAX_VALUE;
      for (long tick = 0; ; tick++) {
        long minted = node.wallet().completeMint(invoice.opId());
        if (minted > 0) {
          if (json) printJson(object().put("minted", minted).put("mint", invoice.mint()));
          else out.println("minted " + minted + " sat at " + invoice.mint());
          return WalletCommand.Exit.DONE;
        }
        if (System.currentTimeMillis() >= deadline) {
          return fail(WalletCommand.Exit.NOT_FINISHED, "the invoice was not paid in time; nothing was minted");
        }
        if (tick % 5 == 0) progress("waiting for the invoice to be paid (" + (System.currentTimeMillis() - started) / 1000 + " s)");
        Thread.sleep(1000);
      }
    }
  }

  @Command(name = "receive", mixinStandardHelpOptions = true,
      description = "Swap a Cashu token (cashuB or cashuA) of an allow-listed mint into the wallet.")
  static final class Receive extends WalletSubcommand {
    @Parameters(index = "0", description = "The token.")
    String token;

    @Override
    int run(NodeWallet node) throws Exception {
      Token t;
      try {
        t = Token.decode(token.strip());
      } catch (InvalidTokenException e) {
        throw new IllegalArgumentException("not a Cashu token: " + e.getMessage());
      }
      Wallet wallet = node.wallet();
      String mint = wallet.mints().client(t.mint()).url();
      try {
        t = t.resolveKeysetIds(wallet.mints().keysetsById(mint).keySet());
      } catch (InvalidTokenException e) {
        throw new WalletException("the token names a keyset the mint does not have");
      }
      // one operation per token, whoever runs it: receiving it again resumes the same swap
      Received r = wallet.receive("receive-cli-" + identity(t.proofs()), t);
      if (json) printJson(object().put("received", r.net()).put("fee", r.fee()).put("mint", r.mint()));
      else out.println("received " + r.net() + " sat at " + r.mint() + " (input fee " + r.fee() + ")");
      return WalletCommand.Exit.DONE;
    }

    private static String identity(List<Proof> proofs) {
      var sha = Digests.sha256();
      proofs.stream().map(p -> p.y().toHex()).sorted().forEach(y -> sha.update(y.getBytes(StandardCharsets.US_ASCII)));
      return Hex.encode(sha.digest());
    }
  }

  @Command(name = "send", mixinStandardHelpOptions = true,
      description = "Make a cashuB token worth exactly <sats> (printed; it is money: whoever holds it can spend it).")
  static final class Send extends WalletSubcommand {
    @Parameters(index = "0", description = "Sats.")
    long sats;

    @Option(names = "--mint", description = "The mint to send from (default: the first holding enough).")
    String mint;

    @Override
    int run(NodeWallet node) throws Exception {
      String url = pickMint(node.wallet(), mint, sats);
      Token t = node.wallet().send(url, sats, "send");
      if (json) printJson(object().put("token", t.encode()).put("amount", t.amount()).put("mint", url));
      else out.println(t.encode());
      return WalletCommand.Exit.DONE;
    }
  }

  @Command(name = "melt", mixinStandardHelpOptions = true, description = "Pay a Lightning invoice (NUT-05) with ecash.")
  static final class Melt extends WalletSubcommand {
    @Parameters(index = "0", description = "The BOLT11 invoice.")
    String bolt11;

    @Option(names = "--mint", description = "The mint to pay from (default: the first holding enough).")
    String mint;

    @Option(names = "--max-fee", description = "Most sats the mint may reserve for Lightning fees (default max(4, 2%)).")
    Long maxFee;

    @Override
    int run(NodeWallet node) throws Exception {
      Long amount;
      try {
        amount = Bolt11.decode(bolt11.strip()).amountSat();
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("not a BOLT11 invoice: " + e.getMessage());
      }
      if (amount == null) throw new IllegalArgumentException("invoices without an amount cannot be paid here");
      long cap = maxFee != null ? maxFee : defaultMaxFee(amount);
      String url = pickMint(node.wallet(), mint, amount + cap);
      Melted m = node.wallet().melt(url, bolt11.strip(), cap);
      String state = m.state().name().toLowerCase(Locale.ROOT);
      if (json) {
        ObjectNode o = object().put("state", state).put("amount", m.amount()).put("fee", m.feePaid()).put("mint", url);
        if (m.preimage() != null) o.put("preimage", m.preimage());
        printJson(o);
      } else {
        out.println(state + ": " + m.amount() + " sat from " + url + ", fee " + m.feePaid() + " sat");
      }
      return switch (m.state()) {
        case PAID -> WalletCommand.Exit.DONE;
        case UNPAID -> WalletCommand.Exit.REFUSED;
        default -> WalletCommand.Exit.NOT_FINISHED;
      };
    }
  }

  @Command(name = "swap", mixinStandardHelpOptions = true,
      description = "Move <sats> from one mint to another over Lightning (the source pays the target's invoice).")
  static final class Swap extends WalletSubcommand {
    @Parameters(index = "0", description = "Sats to arrive at the target.")
    long sats;

    @Option(names = "--from", required = true, description = "Source mint (allow-listed).")
    String from;

    @Option(names = "--to", required = true, description = "Target mint (allow-listed).")
    String to;

    @Option(names = "--max-fee", description = "Most sats the source may reserve for Lightning fees (default max(4, 2%)).")
    Long maxFee;

    @Override
    int run(NodeWallet node) throws Exception {
      Transfer t = node.wallet().transfer(from, to, sats, maxFee != null ? maxFee : defaultMaxFee(sats));
      String state = t.state().name().toLowerCase(Locale.ROOT);
      if (json) {
        ObjectNode o = object().put("id", t.id()).put("state", state).put("from", t.source()).put("to", t.target())
            .put("amount", t.amount()).put("fee", t.fee());
        if (t.detail() != null) o.put("detail", t.detail());
        printJson(o);
      } else {
        out.println("swap " + state + ": " + t.amount() + " sat " + t.source() + " -> " + t.target() + ", fee "
            + t.fee() + " sat" + (t.detail() == null ? "" : " (" + t.detail() + ")"));
      }
      return switch (t.state()) {
        case COMPLETED -> WalletCommand.Exit.DONE;
        case FAILED -> WalletCommand.Exit.REFUSED;
        default -> WalletCommand.Exit.NOT_FINISHED;
      };
    }
  }
}
