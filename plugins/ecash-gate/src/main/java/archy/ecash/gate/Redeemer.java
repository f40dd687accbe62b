package archy.ecash.gate;

import archy.ecash.Db;
import archy.ecash.crypto.Digests;
import archy.ecash.keyset.KeysetInfo;
import archy.ecash.ledger.Ledger;
import archy.ecash.mint.MintException;
import archy.ecash.mint.MintRejectedException;
import archy.ecash.mint.NutError;
import archy.ecash.token.InvalidTokenException;
import archy.ecash.token.Proof;
import archy.ecash.token.Token;
import archy.ecash.wallet.Mints;
import archy.ecash.wallet.OperationBusyException;
import archy.ecash.wallet.Received;
import archy.ecash.wallet.Wallet;
import archy.ecash.wallet.WalletException;
import archy.nostr.Hex;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Redeems tokens per reference/cashu.md §6: offline checks, a claim in the replay set, the keyset checks, the
 * swap at the issuing mint, and only then the credit, with its ledger rows in the same transaction.
 *
 * <p>One token is worked on by one thread at a time: in this process a lock striped by the token's hash (the
 * SHA-256 of its sorted {@code Y}s, so reordered proofs are the same token), across processes the claim row and
 * its lease. A retry of a token already credited answers as the first time and credits nothing. The wallet's
 * operation for a token is keyed by the same hash, so a retry after a lost answer resumes that very swap.
 */
final class Redeemer {
  private static final Logger log = LoggerFactory.getLogger(Redeemer.class);
  private static final int STRIPES = 256;
  private static final Duration LEASE = Duration.ofMinutes(2);

  private final Db db;
  private final Wallet wallet;
  private final Mints mints;
  private final Sessions sessions;
  private final Ledger ledger;
  private final TokenTable tokens;
  private final TokenChecks checks;
  private final GateConfig config;
  private final Clock clock;
  private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];
  private final Object deferrals = new Object();
  private final MeterRegistry metrics;

  Redeemer(Db db, Wallet wallet, Sessions sessions, Ledger ledger, GateConfig config, Clock clock,
           MeterRegistry metrics) {
    this.db = db;
    this.wallet = wallet;
    this.mints = wallet.mints();
    this.sessions = sessions;
    this.ledger = ledger;
    this.tokens = new TokenTable(clock);
    this.checks = new TokenChecks(mints, clock);
    this.config = config;
    this.clock = clock;
    this.metrics = metrics;
    for (int i = 0; i < STRIPES; i++) stripes[i] = new ReentrantLock();
    for (String service : config.prices().keySet()) earnedCounter(service); // on /metrics before the first payment
  }

  Redeem redeem(String text, String service, String scope, String session, long satsPerMb) {
    if (satsPerMb == 0) return refused("this service is free: no payment is needed");
    if (text == null || text.isBlank() || text.length() > config.maxTokenChars()) {
      return refused("no token, or one longer than " + config.maxTokenChars() + " characters");
    }
    Token token;
    long gross;
    try {
      token = Token.decode(text);
      gross = token.amount();
    } catch (InvalidTokenException e) {
      return refused("invalid token: " + e.getMessage());
    } catch (ArithmeticException e) {
      return refused("invalid token: amounts overflow");
    }
    // the token's own strings are not echoed: reasons go out as X-Reason headers
    if (!mints.allowed(token.mint())) return refused("mint not accepted");
    if (!"sat".equals(token.unit())) return refused("unit must be sat");
    if (token.proofs().size() > config.maxProofs()) return refused("too many proofs (at most " + config.maxProofs() + ")");
    List<String> ys = new ArrayList<>(token.proofs().size());
    for (Proof p : token.proofs()) ys.add(p.y().toHex());
    if (new HashSet<>(ys).size() != ys.size()) return refused("the token holds the same proof twice");
    String hash = hash(ys);
    ReentrantLock lock = stripes[Math.floorMod(hash.hashCode(), STRIPES)];
    lock.lock();
    try {
      Optional<TokenRow> seen = db.tx(c -> tokens.find(c, hash));
      if (seen.isPresent()) return again(seen.get(), session, service, scope);
      TokenRow row = new TokenRow(hash, session, service, scope, mintUrl(token), gross, 0, 0, satsPerMb,
          TokenRow.State.PENDING, false, text.strip(), 0, 0, clock.millis() + LEASE.toMillis(), null);
      boolean claimed;
      try {
        claimed = db.tx(c -> tokens.claim(c, row, ys));
      } catch (TokenTable.SeenBefore e) {
        return refused("these proofs were already presented in another token");
      }
      if (!claimed) return again(db.tx(c -> tokens.find(c, hash)).orElseThrow(), session, service, scope);
      return settle(row, token);
    } catch (SQLException e) {
      log.warn("redeem: storage failed: {}", e.getMessage());
      return new Redeem.Refused(503, "storage unavailable; try again later");
    } finally {
      lock.unlock();
    }
  }

  /** Retries pending tokens that are due (the fail_open queue, and swaps whose outcome was unknown). */
  int retryDue(int limit) throws SQLException {
    int settled = 0;
    for (TokenRow due : db.tx(c -> tokens.due(c, limit))) {
      ReentrantLock lock = stripes[Math.floorMod(due.hash().hashCode(), STRIPES)];
      lock.lock();
      try {
        if (!db.tx(c -> tokens.lease(c, due.hash(), clock.millis() + LEASE.toMillis()))) continue;
        TokenRow row = db.tx(c -> tokens.find(c, due.hash())).orElseThrow();
        settle(row, decodeStored(row));
        if (db.tx(c -> tokens.find(c, due.hash())).orElseThrow().state() != TokenRow.State.PENDING) settled++;
      } finally {
        lock.unlock();
      }
    }
    return settled;
  }

  /** A token seen before: answer as its outcome says, resuming it when it is pending and nobody holds it. */
  private Redeem again(TokenRow row, String session, String service, String scope) throws SQLException {
    boolean same = row.sameSession(session, service, scope);
    return switch (row.state()) {
      case REFUSED -> refused(row.reason());
      case CREDITED -> same ? new Redeem.Credited(session, row.bytes(), sessions.balance(row.key()))
          : refused("token already redeemed");
      case PENDING -> {
        if (row.provisional()) {
          yield same ? new Redeem.Deferred(session, row.bytes(), sessions.balance(row.key()))
              : refused("token already redeemed");
        }
        if (!db.tx(c -> tokens.lease(c, row.hash(), clock.millis() + LEASE.toMillis()))) {
          yield new Redeem.Refused(409, "this token is being redeemed; try again shortly");
        }
        Redeem r = settle(row, decodeStored(row));
        yield same || !(r instanceof Redeem.Credited) ? r : refused("token already redeemed");
      }
    };
  }

  /** Checks, swaps and records a claimed (leased) token. */
  private Redeem settle(TokenRow row, Token token) throws SQLException {
    Received received;
    try {
      received = wallet.receive("receive-" + row.hash(), checks.verify(token));
    } catch (TokenRefusal e) {
      return refuse(row, e.getMessage());
    } catch (MintRejectedException e) {
      if (e.is(NutError.PROOFS_PENDING)) {
        db.tx(c -> {
          tokens.retryLater(c, row.hash(), nextAttempt(row.attempts()), "pending at the mint");
          return null;
        });
        return refused("the token's proofs are pending at the mint (being spent elsewhere)");
      }
      return refuse(row, reasonFor(e));
    } catch (MintException e) {
      return unknownOutcome(row, token, e);
    } catch (OperationBusyException e) {
      return new Redeem.Refused(409, "this token is being redeemed; try again shortly"); // the swap is under way
    } catch (WalletException e) {
      return refuse(row, e.getMessage());
    }
    return credit(row, received);
  }

  private Redeem credit(TokenRow row, Received r) throws SQLException {
    long bytes = row.provisional() ? row.bytes() : Prices.bytesFor(r.net(), row.satsPerMb());
    boolean first = db.tx(c -> {
      if (!tokens.credited(c, row.hash(), r.fee(), bytes)) return false;
      if (row.provisional()) {
        ledger.append(c, entry(Ledger.Kind.SETTLED, row, r.net(), 0));
      } else {
        sessions.credit(c, row.key(), bytes);
        ledger.append(c, entry(Ledger.Kind.CREDIT, row, r.net(), bytes));
      }
      if (r.fee() > 0) ledger.append(c, entry(Ledger.Kind.SWAP_FEE, row, r.fee(), 0));
      return true;
    });
    sessions.reload(row.key());
    if (first) earned(row, r, bytes);
    return new Redeem.Credited(row.session(), bytes, sessions.balance(row.key()));
  }

  /**
   * The mint could not be reached, or its answer was lost: queue it. Under {@code fail_open} the session is credited
   * on trust, but only for a token whose proofs the offline checks show the mint signed, and only within the caps
   * of credit on trust per session and per mint; any other token waits for the mint, like with fail_open off.
   */
  private Redeem unknownOutcome(TokenRow row, Token token, MintException e) throws SQLException {
    long next = nextAttempt(row.attempts());
    String notOnTrust = null;
    if (config.failOpen() && !row.provisional()) {
      try {
        notOnTrust = checks.uncheckableOffline(token).map(why -> "it cannot be checked offline: " + why).orElse(null);
      } catch (TokenRefusal bad) {
        return refuse(row, bad.getMessage());
      }
    }
    if (!config.failOpen() || row.provisional() || notOnTrust != null) {
      return queued(row, next, e, notOnTrust);
    }
    long fee = expectedFee(row.mint(), row.amount());
    long net = Math.max(0, row.amount() - fee);
    long bytes = Prices.bytesFor(net, row.satsPerMb());
    String overCap;
    synchronized (deferrals) { // in this process, two deferrals never both fit under one cap
      overCap = db.tx(c -> {
        if (tokens.deferredSats(c, TokenTable.By.SESSION, row.session()) + row.amount() > config.failOpenSessionSats()) {
          return "this session's credit on trust (fail_open_max_session_sats) is used up";
        }
        if (tokens.deferredSats(c, TokenTable.By.MINT, row.mint()) + row.amount() > config.failOpenMintSats()) {
          return "the credit on trust for this mint (fail_open_max_mint_sats) is used up";
        }
        if (tokens.provisional(c, row.hash(), fee, bytes, next, e.getMessage())) {
          sessions.credit(c, row.key(), bytes);
          ledger.append(c, entry(Ledger.Kind.DEFERRED, row, net, bytes));
        }
        return null;
      });
    }
    if (overCap != null) return queued(row, next, e, overCap);
    sessions.reload(row.key());
    log.info("payment deferred (fail_open): {} sat from {} for {} credited on trust, redeemed later: {}", row.amount(),
        row.mint(), row.service(), e.getMessage());
    return new Redeem.Deferred(row.session(), bytes, sessions.balance(row.key()));
  }

  /** The line and the counter an operator reads a payment by; never the token, its hash or the session id. */
  private void earned(TokenRow row, Received r, long bytes) {
    earnedCounter(row.service()).increment(r.net());
    log.info("payment {}: {} sat from {} (swap fee {} sat) for {} {}{}", row.provisional() ? "settled" : "credited",
        r.net(), row.mint(), r.fee(), row.service(), row.scope().isEmpty() ? "(any scope)" : "scope " + row.scope(),
        row.provisional() ? " (served earlier on trust)" : ", " + bytes + " bytes");
  }

  private Counter earnedCounter(String service) {
    return Counter.builder("archy.ecash.earned").baseUnit("sats").tag("service", service)
        .description("Sats received and kept (after swap fees), per service").register(metrics);
  }

  /** Left for the retry queue; the client is told to try later (a provisional credit stands as it is). */
  private Redeem queued(TokenRow row, long next, MintException e, String notOnTrust) throws SQLException {
    db.tx(c -> {
      tokens.retryLater(c, row.hash(), next, e.getMessage());
      return null;
    });
    if (row.provisional()) return new Redeem.Deferred(row.session(), row.bytes(), sessions.balance(row.key()));
    return new Redeem.Refused(503, notOnTrust == null ? "the mint cannot be reached; try again later"
        : "the mint cannot be reached and " + notOnTrust + "; try again later");
  }

  /**
   * Refused for good. A token credited on trust is a loss, and what the session still holds of that credit is
   * revoked in the same transaction (the bytes already served on it are the loss; the rest is never served).
   */
  private Redeem refuse(TokenRow row, String reason) throws SQLException {
    boolean revoked = db.tx(c -> {
      if (!tokens.refused(c, row.hash(), reason) || !row.provisional()) return false;
      long bytes = sessions.revoke(c, row.key(), row.bytes());
      ledger.append(c, entry(Ledger.Kind.LOSS, row, Math.max(0, row.amount() - row.fee()), bytes));
      return true;
    });
    if (revoked) sessions.reload(row.key());
    return refused(reason);
  }

  /** The fee a swap of {@code amount} would cost, from cached keysets only (the mint is unreachable). */
  private long expectedFee(String mint, long amount) {
    long ppk = 0;
    for (KeysetInfo k : mints.cachedKeysets(mint).orElse(List.of())) ppk = Math.max(ppk, k.inputFeePpk());
    return Math.ceilDiv(Long.bitCount(amount) * ppk, 1000);
  }

  private long nextAttempt(int attempts) {
    long base = config.retryFirst().toMillis();
    long delay = Math.min(config.retryMax().toMillis(), base << Math.min(attempts, 20));
    return clock.millis() + delay;
  }

  private static Ledger.Entry entry(Ledger.Kind kind, TokenRow row, long sats, long bytes) {
    return new Ledger.Entry(kind, row.service(), row.scope(), row.session(), row.mint(), sats, bytes, row.hash());
  }

  private static String reasonFor(MintRejectedException e) {
    return switch (e.error().orElse(null)) {
      case PROOFS_ALREADY_SPENT -> "token already spent";
      case PROOF_VERIFICATION_FAILED -> "the mint says these proofs are not valid";
      case KEYSET_UNKNOWN -> "the mint does not know the token's keyset";
      case KEYSET_EXPIRED -> "the token's keyset has expired";
      case null -> "the mint refused the token (HTTP " + e.httpStatus() + ")";
      default -> "the mint refused the token: " + e.error().get().description();
    };
  }

  private Token decodeStored(TokenRow row) {
    try {
      return Token.decode(row.token());
    } catch (InvalidTokenException e) {
      throw new IllegalStateException("a stored token no longer decodes", e);
    }
  }

  private String mintUrl(Token token) {
    try {
      return mints.client(token.mint()).url();
    } catch (WalletException e) {
      throw new IllegalStateException("checked against the allow-list above", e);
    }
  }

  private static Redeem.Refused refused(String reason) {
    return new Redeem.Refused(400, reason);
  }

  /** SHA-256 over the sorted {@code Y}s: one identity however the proofs are ordered or encoded. */
  static String hash(List<String> ys) {
    List<String> sorted = new ArrayList<>(ys);
    sorted.sort(null);
    MessageDigest sha = Digests.sha256();
    for (String y : sorted) sha.update(y.getBytes(StandardCharsets.US_ASCII));
    return Hex.encode(sha.digest());
  }
}
