package archy.ecash.cli;

import archy.ecash.wallet.PairStats;
import archy.ecash.wallet.RecoveryReport;
import archy.ecash.wallet.Transfer;
import archy.ecash.wallet.WalletViews;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code archy wallet} subcommands that look (and {@code resume}, which finishes what is open). */
final class ViewCommands {
  private ViewCommands() {}

  @Command(name = "balance", mixinStandardHelpOptions = true,
      description = "Sats per mint: spendable, pending (in a mint call, or handed out unclaimed) and reserved.")
  static final class Balance extends WalletSubcommand {
    @Override
    int run(NodeWallet node) throws Exception {
      List<WalletViews.Holding> holdings = node.wallet().holdings();
      long total = holdings.stream().mapToLong(WalletViews.Holding::balance).sum();
      if (json) {
        ObjectNode o = object().put("total", total);
        ArrayNode mints = o.putArray("mints");
        for (WalletViews.Holding h : holdings) {
          mints.addObject().put("url", h.mint()).put("balance", h.balance()).put("pending", h.pending())
              .put("reserved", h.reserved());
        }
        printJson(o);
      } else {
        for (WalletViews.Holding h : holdings) {
          out.printf("%s  %d sat (pending %d, reserved %d)%n", h.mint(), h.balance(), h.pending(), h.reserved());
        }
        out.println("total  " + total + " sat");
      }
      return WalletCommand.Exit.DONE;
    }
  }

  @Command(name = "pending", mixinStandardHelpOptions = true,
      description = "Operations not finished, and tokens handed out but not claimed, with what each waits for.")
  static final class PendingOps extends WalletSubcommand {
    @Override
    int run(NodeWallet node) throws Exception {
      List<WalletViews.Pending> pending = node.wallet().pending();
      if (json) {
        ArrayNode a = object().arrayNode();
        for (WalletViews.Pending p : pending) {
          a.addObject().put("id", p.id()).put("type", p.type()).put("mint", p.mint()).put("amount", p.amount())
              .put("state", p.state()).put("waiting_for", p.waitingFor());
        }
        printJson(a);
      } else if (pending.isEmpty()) {
        out.println("nothing pending");
      } else {
        for (WalletViews.Pending p : pending) {
          out.printf("%s %s %d sat at %s (%s): waiting for %s%n", p.type(), p.id(), p.amount(), p.mint(), p.state(),
              p.waitingFor());
        }
      }
      return WalletCommand.Exit.DONE;
    }
  }

  @Command(name = "resume", mixinStandardHelpOptions = true,
      description = "Finish what a crash or a lost answer left open (never an operation a live process is working on).")
  static final class Resume extends WalletSubcommand {
    @Override
    int run(NodeWallet node) throws Exception {
      RecoveryReport r = node.wallet().recover(Duration.ZERO, node.gate().reclaimSendsAfter());
      List<Transfer> transfers = node.wallet().resumeTransfers();
      long open = transfers.stream().filter(t -> t.state().open()).count() + r.stillOpen();
      if (json) {
        ObjectNode o = object().put("finished", r.finished()).put("abandoned", r.abandoned())
            .put("still_open", r.stillOpen()).put("claimed_sends", r.claimedSends())
            .put("reclaimed_sends", r.reclaimedSends());
        ArrayNode a = o.putArray("transfers");
        for (Transfer t : transfers) a.addObject().put("id", t.id()).put("state", t.state().name().toLowerCase(java.util.Locale.ROOT));
        printJson(o);
      } else {
        out.printf("finished %d, abandoned %d (proofs released), still open %d; sent proofs claimed %d, taken back %d%n",
            r.finished(), r.abandoned(), r.stillOpen(), r.claimedSends(), r.reclaimedSends());
        for (Transfer t : transfers) out.printf("swap %s: %s%n", t.id(), t.state().name().toLowerCase(java.util.Locale.ROOT));
      }
      return open == 0 ? WalletCommand.Exit.DONE : WalletCommand.Exit.NOT_FINISHED;
    }
  }

  @Command(name = "pairs", mixinStandardHelpOptions = true,
      description = "Swaps between mint pairs: outcomes, fee ratio, latency, and until when a pair is paused.")
  static final class Pairs extends WalletSubcommand {
    @Override
    int run(NodeWallet node) throws Exception {
      List<PairStats.Summary> pairs = node.wallet().pairStats().all();
      if (json) {
        ArrayNode a = object().arrayNode();
        for (PairStats.Summary s : pairs) {
          ObjectNode o = a.addObject().put("from", s.source()).put("to", s.target()).put("attempts", s.attempts())
              .put("successes", s.successes()).put("last_fee", s.lastFee()).put("fee_ppm", s.feePpm())
              .put("average_millis", s.averageMillis()).put("consecutive_failures", s.consecutiveFailures());
          if (s.pausedUntil() != null) o.put("paused_until", s.pausedUntil().toString());
          else o.putNull("paused_until");
        }
        printJson(a);
      } else if (pairs.isEmpty()) {
        out.println("no swaps yet");
      } else {
        for (PairStats.Summary s : pairs) {
          out.printf("%s -> %s: %d/%d completed, fee %d ppm, %d ms on average%s%n", s.source(), s.target(),
              s.successes(), s.attempts(), s.feePpm(), s.averageMillis(),
              s.pausedUntil() == null ? "" : ", paused until " + s.pausedUntil());
        }
      }
      return WalletCommand.Exit.DONE;
    }
  }

  @Command(name = "history", mixinStandardHelpOptions = true,
      description = "What the wallet did, newest first: mint, receive, send, payment, melt, swap.")
  static final class History extends WalletSubcommand {
    @Option(names = "--limit", defaultValue = "50", description = "At most this many entries (default ${DEFAULT-VALUE}).")
    int limit;

    @Override
    int run(NodeWallet node) throws Exception {
      if (limit <= 0) throw new IllegalArgumentException("--limit must be positive");
      List<WalletViews.Entry> entries = node.wallet().history(limit);
      if (json) {
        ArrayNode a = object().arrayNode();
        for (WalletViews.Entry e : entries) {
          ObjectNode o = a.addObject().put("type", e.type()).put("amount", e.amount()).put("fee", e.fee())
              .put("at", e.at().toString()).put("id", e.id()).put("mint", e.mint());
          if (e.to() != null) o.put("to", e.to());
          if (e.note() != null) o.put("note", e.note());
        }
        printJson(a);
      } else {
        for (WalletViews.Entry e : entries) {
          out.printf("%s %-8s %6d sat  fee %d  %s%s%n", e.at(), e.type(), e.amount(), e.fee(), e.mint(),
              e.to() == null ? "" : " -> " + e.to());
        }
      }
      return WalletCommand.Exit.DONE;
    }
  }
}
