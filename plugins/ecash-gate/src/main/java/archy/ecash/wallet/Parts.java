package archy.ecash.wallet;

import archy.ecash.Db;
import archy.ecash.keyset.InvalidKeysetException;
import archy.ecash.keyset.Keyset;
import archy.ecash.mint.MintException;
import archy.ecash.token.Proof;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/** What the wallet's operations share: the database, the mints, the seed, the tables, the leases and the clock. */
record Parts(Db db, Mints mints, DeterministicSecrets secrets, ProofTable proofs, Journal journal, Leases leases,
             Clock clock) {
  static final String UNIT = "sat";

  static String newOpId(Op.Kind kind) {
    return kind.column() + "-" + UUID.randomUUID();
  }

  /**
   * Runs a transaction whose work may refuse with a {@link WalletException}, or give up on a {@link Conflict}
   * (then null is returned and nothing was written).
   */
  <T> T tx(Db.Work<T> work) throws SQLException, WalletException {
    try {
      return db.tx(work);
    } catch (Refusal r) {
      throw r.reason;
    } catch (Conflict lost) {
      return null;
    }
  }

  /** Thrown inside a transaction when another process won a race for the same rows: roll back, try again. */
  static final class Conflict extends RuntimeException {
    Conflict() {
      super("lost a race for a row", null, false, false);
    }
  }

  /** Thrown inside a transaction to roll it back and surface a {@link WalletException}. */
  static final class Refusal extends RuntimeException {
    final WalletException reason;

    Refusal(String message) {
      super(message, null, false, false);
      this.reason = new WalletException(message);
    }
  }

  /** The keyset an output plan signs with (its keys, for unblinding). */
  Keyset keyset(String mint, OutputPlan plan) throws MintException, WalletException {
    try {
      return mints.keyset(mint, plan.keysetId());
    } catch (InvalidKeysetException e) {
      throw new WalletException(e.getMessage());
    }
  }

  /** The keyset new outputs of {@code mint} go to ({@link Mints#activeKeyset}). */
  Keyset active(String mint) throws MintException, WalletException {
    try {
      return mints.activeKeyset(mint, UNIT);
    } catch (InvalidKeysetException e) {
      throw new WalletException(e.getMessage());
    }
  }

  /**
   * New outputs for an operation whose outputs the mint refused: 12001/12002 after a keyset rotation (the keyset
   * list is read again, so the new active keyset is used) or 11003 after a rewound counter (fresh counters). Only
   * after a definite refusal: the old outputs were never signed, so nothing is lost by giving them up.
   *
   * @param amounts the outputs' amounts in the denominations of the keyset they will go to
   */
  OutputPlan replan(Op op, Function<Keyset, List<Long>> amounts) throws MintException, WalletException, SQLException {
    mints.forgetKeysets(op.mint());
    Keyset keyset = active(op.mint());
    List<Long> a = amounts.apply(keyset);
    return tx(c -> {
      OutputPlan p = new OutputPlan(keyset.id(), journal.reserveCounters(c, keyset.id(), a.size()), a);
      journal.setPlan(c, op.id(), p);
      return p;
    });
  }

  /** Outputs of a plan, rebuilt from the seed. */
  List<BlindedOutput> outputs(OutputPlan plan) throws WalletException {
    try {
      return plan.outputs(secrets);
    } catch (InvalidKeysetException e) {
      throw new WalletException(e.getMessage());
    }
  }

  /** {@code a} split into the keyset's denominations, then {@code b}'s, sorted ascending as NUT-03 asks. */
  static List<Long> amounts(Keyset keyset, long a, long b) {
    List<Long> out = new ArrayList<>();
    if (a > 0) out.addAll(keyset.split(a));
    if (b > 0) out.addAll(keyset.split(b));
    out.sort(null);
    return out;
  }

  /**
   * Splits unblinded proofs into the part worth {@code target} (one proof per denomination of the target's
   * split, the first found of each) and the rest. Deterministic, so a recovered operation partitions alike.
   */
  static List<List<Proof>> partition(List<Proof> proofs, Keyset keyset, long target) {
    List<Long> wanted = target > 0 ? new ArrayList<>(keyset.split(target)) : new ArrayList<>();
    List<Proof> part = new ArrayList<>();
    List<Proof> rest = new ArrayList<>();
    for (Proof p : proofs) {
      if (wanted.remove(Long.valueOf(p.amount()))) part.add(p);
      else rest.add(p);
    }
    return List.of(part, rest);
  }
}
