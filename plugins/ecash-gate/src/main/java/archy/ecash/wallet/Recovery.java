package archy.ecash.wallet;

import archy.ecash.Db;
import archy.ecash.mint.MintException;
import archy.ecash.mint.MintRejectedException;
import archy.ecash.mint.NutError;
import archy.ecash.mint.ProofState;
import archy.ecash.token.Proof;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
 *   <li>proofs handed out in tokens become SPENT once NUT-07 says the receiver claimed them, and come back to the
 *       wallet (swapped) when still unspent after a grace period.
 * </ul>
 */
final class Recovery {
  private static final Logger log = LoggerFactory.getLogger(Recovery.class);
  /** Ys per NUT-07 request (mints cap a request's size: 11014 beyond). */
  static final int CHECK_BATCH = 100;
  /** NUT-07 requests per sweep, so a sweep's work stays bounded however many tokens are out. */
  static final int CHECK_BATCHES = 10;

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

  RecoveryReport sweep(Duration grace, Duration reclaimSendsAfter) throws SQLException {
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
    int[] sent = settleSent(w.clock().millis() - reclaimSendsAfter.toMillis());
    return new RecoveryReport(finished, abandoned, open, sent[0], sent[1]);
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
        if (orphan && w.proofs().unchangedSince(c, p.y(), cutoff)) w.proofs().move(c, p.y(), ProofStatus.RESERVED, ProofStatus.UNSPENT, null);
      }
      return null;
    });
  }

  /**
   * NUT-07 on proofs handed out in tokens, the least recently checked first, {@link #CHECK_BATCH} per request and
   * at most {@link #CHECK_BATCHES} requests per sweep: SPENT means the receiver swapped them; still UNSPENT after
   * {@code reclaimBefore} (nobody wants them: a payee refused the token, or it was lost) they are swapped back.
   */
  private int[] settleSent(long reclaimBefore) throws SQLException {
    Map<String, List<StoredProof>> byMint = new TreeMap<>();
    for (StoredProof p : w.db().tx(c -> w.proofs().sentLeastChecked(c, CHECK_BATCH * CHECK_BATCHES))) {
      byMint.computeIfAbsent(p.mint(), k -> new ArrayList<>()).add(p);
    }
    int claimed = 0;
    Map<String, List<StoredProof>> unclaimed = new LinkedHashMap<>(); // by send operation
    for (var e : byMint.entrySet()) {
      List<StoredProof> all = e.getValue();
      int size = CHECK_BATCH;
      for (int from = 0; from < all.size(); from += size) {
        List<StoredProof> batch = all.subList(from, Math.min(all.size(), from + size));
        List<ProofState> states;
        try {
          states = w.mints().client(e.getKey()).checkProofs(batch.stream().map(StoredProof::proof).toList());
        } catch (MintRejectedException tooMany) {
          if (!tooMany.is(NutError.MAX_INPUTS_EXCEEDED) || size == 1) break;
          size = Math.max(1, size / 2); // this mint takes fewer Ys per request: ask again in smaller batches
          from -= size;
          continue;
        } catch (MintException | WalletException unreachable) {
          break; // this mint later; the others now
        }
        for (int i = 0; i < batch.size() && i < states.size(); i++) {
          StoredProof p = batch.get(i);
          ProofState.State state = states.get(i).state();
          boolean[] moved = {false};
          boolean stale = w.db().tx(c -> {
            w.proofs().checked(c, p.y());
            if (state == ProofState.State.SPENT) moved[0] = w.proofs().move(c, p.y(), ProofStatus.PENDING, ProofStatus.SPENT, p.op());
            return state == ProofState.State.UNSPENT && w.proofs().unchangedSince(c, p.y(), reclaimBefore);
          });
          if (moved[0]) claimed++;
          if (stale) unclaimed.computeIfAbsent(p.op(), k -> new ArrayList<>()).add(p);
        }
      }
    }
    int reclaimed = 0;
    for (var e : unclaimed.entrySet()) {
      try {
        Op op = swaps.reclaim(e.getKey(), e.getValue().get(0).mint(), e.getValue());
        if (op != null && op.state() == Op.State.DONE) reclaimed += e.getValue().size();
      } catch (MintException | WalletException ex) {
        log.info("wallet recovery: an unclaimed token at {} is not reclaimed yet: {}", e.getValue().get(0).mint(),
            ex.getMessage());
      }
    }
    return new int[] {claimed, reclaimed};
  }
}
