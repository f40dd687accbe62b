package archy.ecash.wallet;

import archy.ecash.Db;
import archy.ecash.mint.MintException;
import archy.ecash.token.Proof;
import archy.ecash.token.Token;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A Cashu wallet over several allow-listed mints, its proofs in the node's database (SQLite or PostgreSQL).
 *
 * <p>Every operation that calls a mint is first written to a journal with its NUT-13 outputs (counter ranges
 * reserved, never reused), so an answer lost to a crash, a timeout or a dropped connection is recovered from the
 * mint (the same request again, or NUT-09 restore) instead of lost; {@link #recover} does that for whatever is
 * left open. Value received counts only once the issuing mint has swapped it into outputs of ours. Proofs move
 * between states by conditional updates, so processes sharing one PostgreSQL database never spend one proof twice.
 *
 * <p>Calls block on the mints (melts for minutes): call them from virtual threads, never from an I/O thread.
 * Thread-safe.
 */
public final class Wallet {
  /** How long a handed-out token may stay unclaimed before the wallet takes its proofs back, by default. */
  public static final Duration RECLAIM_SENDS_AFTER = Duration.ofDays(1);

  private final Parts parts;
  private final Swaps swaps;
  private final Melts melts;
  private final Minting minting;
  private final Recovery recovery;
  private final PairStats pairStats;
  private final CrossMint crossMint;
  private final WalletViews views;

  public Wallet(Db db, Mints mints, DeterministicSecrets secrets, Clock clock) {
    this.parts = new Parts(db, mints, secrets, new ProofTable(clock), new Journal(clock), new Leases(db, clock), clock);
    this.swaps = new Swaps(parts);
    this.melts = new Melts(parts, swaps);
    this.minting = new Minting(parts);
    this.recovery = new Recovery(parts, swaps, melts, minting);
    this.pairStats = new PairStats(db, clock);
    this.crossMint = new CrossMint(parts, melts, minting, pairStats);
    this.views = new WalletViews(parts);
  }

  /** A wallet on the seed stored in the database (made on first use). */
  public static Wallet open(Db db, Mints mints, Clock clock) throws SQLException {
    return new Wallet(db, mints, WalletSeed.loadOrCreate(db), clock);
  }

  public Mints mints() {
    return parts.mints();
  }

  /**
   * Swaps a received token into the wallet (NUT-03) under {@code opId}; calling again with the same id resumes
   * the same operation instead of starting another, so a caller may retry after any failure. The token must be
   * from an allow-listed mint, in sat, with full keyset ids ({@link Token#resolveKeysetIds}).
   *
   * @throws archy.ecash.mint.MintRejectedException the mint refused (11001: already spent, by someone else)
   * @throws archy.ecash.mint.MintUnavailableException outcome unknown; retry with the same id later
   */
  public Received receive(String opId, Token token) throws MintException, WalletException, SQLException {
    if (!Parts.UNIT.equals(token.unit())) throw new WalletException("only sat tokens are accepted");
    String mint = mints().client(token.mint()).url();
    Op op = swaps.receive(opId, mint, token.proofs());
    if (op.state() != Op.State.DONE) throw new WalletException("the receive did not complete: " + op.detail());
    return new Received(op.id(), mint, op.amount(), op.fee());
  }

  /** A token worth exactly {@code amount} from proofs of {@code mint}, swapped to that amount when needed. */
  public Token send(String mint, long amount) throws MintException, WalletException, SQLException {
    return send(mint, amount, null);
  }

  /** As {@link #send(String, long)}, noting what it is for ({@code "payment …"} shows in history as a payment). */
  public Token send(String mint, long amount, String note) throws MintException, WalletException, SQLException {
    String url = mints().client(mint).url();
    Op op = swaps.send(url, amount);
    if (note != null) {
      parts.db().tx(c -> {
        parts.journal().note(c, op.id(), note);
        return null;
      });
    }
    List<Proof> out = new ArrayList<>();
    for (StoredProof p : parts.db().tx(c -> parts.proofs().byOp(c, op.id()))) {
      if (p.status() == ProofStatus.PENDING) out.add(p.proof());
    }
    return new Token(url, Parts.UNIT, null, out);
  }

  /** NUT-04: an invoice to pay; then {@link #completeMint}. */
  public MintInvoice requestMint(String mint, long amount) throws MintException, WalletException, SQLException {
    return minting.request(mint, amount);
  }

  /** Mints a paid quote; returns the amount now held from it, 0 while the invoice is unpaid. */
  public long completeMint(String opId) throws MintException, WalletException, SQLException {
    Op op = parts.tx(c -> parts.journal().find(c, opId).orElseThrow(() -> new Parts.Refusal("unknown mint operation")));
    if (op.kind() != Op.Kind.MINT) throw new WalletException("not a mint operation");
    Op after = minting.complete(op);
    return after.state() == Op.State.DONE ? after.amount() : 0;
  }

  /**
   * NUT-05: pays {@code bolt11} from {@code mint}'s proofs, refusing when the mint reserves more than
   * {@code maxFeeReserve} sat for Lightning fees. A PENDING result is finished later by {@link #resumeMelt}.
   */
  public Melted melt(String mint, String bolt11, long maxFeeReserve) throws MintException, WalletException, SQLException {
    return melts.melt(mints().client(mint).url(), bolt11, maxFeeReserve, null, null);
  }

  public Melted resumeMelt(String opId) throws MintException, WalletException, SQLException {
    Op op = parts.tx(c -> parts.journal().find(c, opId).orElseThrow(() -> new Parts.Refusal("unknown melt operation")));
    if (op.kind() != Op.Kind.MELT) throw new WalletException("not a melt operation");
    return melts.finish(op);
  }

  /**
   * Moves {@code amount} sat from {@code source} to {@code target} over Lightning (PROTOCOLS.md §6), refusing
   * when the source's melt quote reserves more than {@code maxFee} sat for Lightning fees. A transfer left
   * PAYING or FUNDED (a payment in flight, a lost answer, a crash) is finished by {@link #resumeTransfers}.
   */
  public Transfer transfer(String source, String target, long amount, long maxFee)
      throws MintException, WalletException, SQLException {
    return crossMint.transfer(source, target, amount, maxFee);
  }

  /** Finishes interrupted transfers as far as the mints allow now; returns them in their new states. */
  public List<Transfer> resumeTransfers() throws SQLException {
    List<Transfer> out = new ArrayList<>();
    for (Transfer t : crossMint.open()) {
      try {
        out.add(crossMint.resume(t));
      } catch (MintException | WalletException e) {
        out.add(t);
      }
    }
    return out;
  }

  public Optional<Transfer> findTransfer(String id) throws SQLException {
    return crossMint.find(id);
  }

  /** Recent transfer outcomes per mint pair (advisory). */
  public PairStats pairStats() {
    return pairStats;
  }

  /** Per mint (the allow-list, and any other the wallet holds proofs of): spendable, pending and reserved sats. */
  public List<WalletViews.Holding> holdings() throws SQLException {
    return views.holdings();
  }

  /** Operations and transfers not finished, and handed-out tokens not claimed, with what each waits for. */
  public List<WalletViews.Pending> pending() throws SQLException {
    return views.pending();
  }

  /** What the wallet did, newest first: mints, receives, sends, payments, melts and swaps. */
  public List<WalletViews.Entry> history(int limit) throws SQLException {
    return views.history(limit);
  }

  /** Unspent value held at one mint. */
  public long balance(String mint) throws SQLException, WalletException {
    String url = mints().client(mint).url();
    return parts.db().tx(c -> parts.proofs().sum(c, url, ProofStatus.UNSPENT));
  }

  /** Value in a state, over all mints (e.g. PENDING: in flight or handed out). */
  public long total(ProofStatus status) throws SQLException {
    return parts.db().tx(c -> parts.proofs().sum(c, null, status));
  }

  /** The next NUT-13 counter of a keyset (it only ever grows). */
  public long nextCounter(String keysetId) throws SQLException {
    return parts.db().tx(c -> parts.journal().nextCounter(c, keysetId));
  }

  /**
   * Finishes or abandons operations untouched for {@code grace}, and settles handed-out proofs (NUT-07), taking
   * back those unclaimed for a day.
   */
  public RecoveryReport recover(Duration grace) throws SQLException {
    return recover(grace, RECLAIM_SENDS_AFTER);
  }

  /** As {@link #recover(Duration)}, taking back handed-out proofs still unclaimed after {@code reclaimSendsAfter}. */
  public RecoveryReport recover(Duration grace, Duration reclaimSendsAfter) throws SQLException {
    return recovery.sweep(grace, reclaimSendsAfter);
  }
}
