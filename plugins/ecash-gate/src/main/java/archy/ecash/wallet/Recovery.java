package archy.ecash.wallet;

import archy.ecash.Db;
import archy.ecash.mint.MintException;
import archy.ecash.mint.ProofState;
import archy.ecash.token.Proof;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles what a crash, a lost answer or another process left open. Only operations untouched for a grace period
 * and whose lease lapsed ({@link Leases}) are looked at, so a live worker is never raced; and every step is one the
 * journal makes safe to repeat:
 * <ul>
 *   <li>dispatched operations are finished (same request again, NUT-09 restore, or the melt quote read again);
 *   <li>prepared sends, splits and melts never reached the mint: abandoned, their proofs released;
 *   <li>prepared receives and mints are finished: the value is ours once the mint signs;
 *   <li>proofs handed out in tokens become SPENT once NUT-07 says the receiver claimed them.
 * </ul>
 */
final class Recovery {
  private static final Logger log = LoggerFactory.getLogger(Recovery.class);

  private final Parts w;
  private final Swaps swaps;
  private final Melts melts;
  private final Minting minting;

  Recovery(Parts parts, Swaps swaps, Melts melts, Minting minting) {
    this.w = parts;
    this.swaps = swaps;
    this.melts = melts;
    this.minting = minting;
  }

  RecoveryReport sweep(Duration grace) throws SQLException {
    long cutoff = w.clock().millis() - grace.toMillis();
    int finished = 0;
    int abandoned = 0;
    int open = 0;
    for (Op op : w.db().tx(c -> w.journal().open(c, cutoff))) {
      try {
        Op.State after = switch (op.kind()) {
          case SEND, SPLIT, MELT -> op.state() == Op.State.PREPARED ? abandon(op) : resume(op);
          case RECEIVE, MINT -> resume(op);
        };
        if (after == Op.State.FAILED && op.state() == Op.State.PREPARED) abandoned++;
        else if (after.open()) open++;
        else finished++;
      } catch (MintException | WalletException e) {
        open++;
        w.db().tx(c -> {
          w.journal().touch(c, op.id());
          return null;
        });
        log.info("wallet recovery: {} {} at {} still open: {}", op.kind(), op.state(), op.mint(), e.getMessage());
      }
    }
    releaseOrphans(cutoff);
    return new RecoveryReport(finished, abandoned, open, settleSent());
  }

  private Op.State resume(Op op) throws MintException, WalletException, SQLException {
    return switch (op.kind()) {
      case RECEIVE, SEND, SPLIT -> swaps.finish(op).state();
      case MINT -> minting.complete(op).state();
      case MELT -> switch (melts.finish(op).state()) {
        case PAID -> Op.State.DONE;
        case UNPAID -> Op.State.FAILED;
        case PENDING, UNKNOWN -> Op.State.DISPATCHED;
      };
    };
  }

  private Op.State abandon(Op op) throws MintException, WalletException, SQLException {
    return w.leases().hold(op.id(), () -> {
      w.db().tx(c -> {
        if (w.journal().transition(c, op.id(), Op.State.PREPARED, Op.State.FAILED, "abandoned before dispatch")) {
          w.proofs().moveAll(c, op.id(), ProofStatus.RESERVED, ProofStatus.UNSPENT, null);
        }
        return null;
      });
      return Op.State.FAILED;
    });
  }

  /** Proofs a finished split reserved for a melt that was never journaled. */
  private void releaseOrphans(long cutoff) throws SQLException {
    w.db().tx(c -> {
      for (StoredProof p : w.proofs().byStatus(c, ProofStatus.RESERVED)) {
        var op = p.op() == null ? null : w.journal().find(c, p.op()).orElse(null);
        boolean orphan = op == null || (op.kind() == Op.Kind.SPLIT && op.state() == Op.State.DONE)
            || op.state() == Op.State.FAILED;
        if (orphan && olderThan(c, p, cutoff)) w.proofs().move(c, p.y(), ProofStatus.RESERVED, ProofStatus.UNSPENT, null);
      }
      return null;
    });
  }

  private static boolean olderThan(Connection c, StoredProof p, long cutoff) throws SQLException {
    return Db.scalar(c, "SELECT updated FROM ecash_gate_proofs WHERE y = ?", p.y()) < cutoff;
  }

  /** NUT-07 on proofs handed out in tokens: SPENT means the receiver swapped them. */
  private int settleSent() throws SQLException {
    Map<String, List<StoredProof>> byMint = new TreeMap<>();
    for (StoredProof p : w.db().tx(c -> w.proofs().byStatus(c, ProofStatus.PENDING))) {
      if (p.op() != null && p.op().startsWith(Op.Kind.SEND.column())) {
        byMint.computeIfAbsent(p.mint(), k -> new ArrayList<>()).add(p);
      }
    }
    int claimed = 0;
    for (var e : byMint.entrySet()) {
      List<Proof> proofs = e.getValue().stream().map(StoredProof::proof).toList();
      List<ProofState> states;
      try {
        states = w.mints().client(e.getKey()).checkProofs(proofs);
      } catch (MintException | WalletException unreachable) {
        continue;
      }
      for (int i = 0; i < states.size(); i++) {
        if (states.get(i).state() != ProofState.State.SPENT) continue;
        StoredProof p = e.getValue().get(i);
        boolean moved = w.db().tx(c -> w.proofs().move(c, p.y(), ProofStatus.PENDING, ProofStatus.SPENT, p.op()));
        if (moved) claimed++;
      }
    }
    return claimed;
  }
}
