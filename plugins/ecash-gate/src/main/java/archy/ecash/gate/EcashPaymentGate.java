package archy.ecash.gate;

import archy.ecash.Db;
import archy.ecash.keyset.KeysetInfo;
import archy.ecash.ledger.Ledger;
import archy.ecash.ledger.LedgerTotals;
import archy.ecash.request.PaymentRequest;
import archy.ecash.wallet.Wallet;
import archy.nostr.Hex;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The {@link PaymentGate} over the wallet: prices, sessions, the redeemer and the ledger. Session ids from
 * clients are checked for shape only (1–64 of {@code [A-Za-z0-9_-]}); a made-up id simply has no balance.
 */
public final class EcashPaymentGate implements PaymentGate {
  private static final Decision.Allowed FREE = new Decision.Allowed(Long.MAX_VALUE);

  private final Db db;
  private final Wallet wallet;
  private final Prices prices;
  private final Sessions sessions;
  private final Ledger ledger;
  private final Redeemer redeemer;
  private final SecureRandom random = new SecureRandom();
  private final Counter credited;
  private final Counter deferred;
  private final Counter refused;

  public EcashPaymentGate(Db db, Wallet wallet, GateConfig config, Clock clock) {
    this(db, wallet, config, clock, new SimpleMeterRegistry());
  }

  public EcashPaymentGate(Db db, Wallet wallet, GateConfig config, Clock clock, MeterRegistry metrics) {
    this.db = db;
    this.wallet = wallet;
    this.prices = new Prices(config.prices(), config.scopePrices());
    this.ledger = new Ledger(clock);
    this.sessions = new Sessions(db, ledger, clock, config.sessionRefresh());
    this.redeemer = new Redeemer(db, wallet, sessions, ledger, config, clock, metrics);
    String redeems = "Tokens presented, by outcome: credited, deferred (mint unreachable, fail_open) or refused";
    this.credited = Counter.builder("ecash_gate_redeems").tag("outcome", "credited").description(redeems)
        .register(metrics);
    this.deferred = Counter.builder("ecash_gate_redeems").tag("outcome", "deferred").description(redeems)
        .register(metrics);
    this.refused = Counter.builder("ecash_gate_redeems").tag("outcome", "refused").description(redeems)
        .register(metrics);
    Gauge.builder("archy.ecash.sessions.open", sessions, Sessions::open)
        .description("Paid sessions used in the last 10 minutes that still hold bytes").register(metrics);
  }

  @Override
  public String newSessionId() {
    byte[] id = new byte[16];
    random.nextBytes(id);
    return Hex.encode(id);
  }

  @Override
  public long satsPerMb(String service, String scope) {
    return prices.satsPerMb(service, scope);
  }

  @Override
  public void setScopePrice(String service, String scope, Long satsPerMb) {
    prices.set(service, scope, satsPerMb);
  }

  @Override
  public List<String> mints() {
    return wallet.mints().urls();
  }

  @Override
  public PaymentRequest requestFor(String service, String scope, long bytesWanted, String sessionId) {
    long price = prices.satsPerMb(service, scope);
    long sats = Prices.satsFor(bytesWanted, price);
    return PaymentRequest.inBand(sessionId == null ? newSessionId() : session(sessionId), sats + feeAllowance(sats),
        "sat", mints());
  }

  @Override
  public Redeem redeem(String token, String service, String scope, String sessionId) {
    long price = prices.satsPerMb(service, scope);
    String session;
    try {
      session = sessionId == null ? newSessionId() : session(sessionId);
    } catch (IllegalArgumentException e) {
      return new Redeem.Refused(400, e.getMessage());
    }
    Redeem r = redeemer.redeem(token, service, scope(scope), session, price);
    (switch (r) {
      case Redeem.Credited c -> credited;
      case Redeem.Deferred d -> deferred;
      case Redeem.Refused f -> refused;
    }).increment();
    return r;
  }

  @Override
  public Decision authorize(String sessionId, String service, String scope, long bytes) {
    return decide(sessionId, service, scope, bytes, false);
  }

  @Override
  public Decision reserve(String sessionId, String service, String scope, long bytes) {
    return decide(sessionId, service, scope, bytes, true);
  }

  private Decision decide(String sessionId, String service, String scope, long bytes, boolean reserve) {
    long price = prices.satsPerMb(service, scope);
    if (price == 0) return FREE;
    long available = 0;
    boolean valid = sessionId != null && validSession(sessionId);
    if (valid) {
      Sessions.Key key = new Sessions.Key(sessionId, service, scope(scope));
      try {
        available = sessions.available(key);
        if (available >= bytes) {
          if (!reserve) return new Decision.Allowed(available);
          Optional<Reservation> held = sessions.reserve(key, bytes);
          if (held.isPresent()) return new Decision.Allowed(available, held.get());
          available = sessions.available(key); // another response took it meanwhile
        }
      } catch (SQLException e) {
        // the database is down: no balance can be proven, so the client is asked to pay (a redeem will fail too)
        available = 0;
      }
    }
    String id = valid ? sessionId : newSessionId();
    // A debt (a negative balance) is asked for in full, on top of the bytes wanted.
    long shortfall = bytes - available;
    return new Decision.PaymentRequired(id, requestFor(service, scope, shortfall, id), shortfall);
  }

  @Override
  public long debit(String sessionId, String service, String scope, long bytes) {
    prices.satsPerMb(service, scope); // refuses unknown services, as authorize does
    return sessions.debit(new Sessions.Key(session(sessionId), service, scope(scope)), bytes);
  }

  @Override
  public long balance(String sessionId, String service, String scope) {
    if (sessionId == null || !validSession(sessionId)) return 0;
    return balanceOrZero(new Sessions.Key(sessionId, service, scope(scope)));
  }

  /** Writes pending debits (the plugin calls this on its scheduler and at close). */
  public void flush() throws SQLException {
    sessions.flush();
  }

  /**
   * Keeps the debits a failing flush could not write in {@code file}, so they outlive the process, and applies
   * those an earlier run left there (the plugin calls this at start, before serving).
   */
  public void keepUnwrittenDebitsIn(Path file) throws IOException {
    sessions.spillTo(new DebitSpill(file));
  }

  /** Retries queued tokens that are due; returns how many reached a final outcome. */
  public int retryQueued(int limit) throws SQLException {
    return redeemer.retryDue(limit);
  }

  /** The ledger's totals, for all services or one. */
  public LedgerTotals totals(String service) throws SQLException {
    return db.tx(c -> ledger.totals(c, service));
  }

  private long balanceOrZero(Sessions.Key key) {
    try {
      return sessions.balance(key);
    } catch (SQLException e) {
      // the database is down: no balance can be proven, so the client is asked to pay (a redeem will fail too)
      return 0;
    }
  }

  /**
   * The input fee the mint will charge us to swap a token of {@code sats} sent in the fewest proofs, from the
   * cached keysets of the accepted mints (the highest of their fees, so any of them covers it).
   */
  private long feeAllowance(long sats) {
    long ppk = 0;
    for (String mint : mints()) {
      for (KeysetInfo k : wallet.mints().cachedKeysets(mint).orElse(List.of())) {
        if (k.active()) ppk = Math.max(ppk, k.inputFeePpk());
      }
    }
    if (ppk == 0) return 0;
    long fee = Math.ceilDiv(Long.bitCount(sats) * ppk, 1000);
    return Math.ceilDiv(Long.bitCount(sats + fee) * ppk, 1000);
  }

  private static String session(String id) {
    if (id == null || !validSession(id)) {
      throw new IllegalArgumentException("session id must be 1-64 characters of A-Z, a-z, 0-9, _ or -");
    }
    return id;
  }

  /** {@code [A-Za-z0-9_-]{1,64}}, by hand: this runs on every paid request and a regex would allocate. */
  static boolean validSession(String id) {
    int n = id.length();
    if (n == 0 || n > 64) return false;
    for (int i = 0; i < n; i++) {
      char ch = id.charAt(i);
      boolean ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
      if (!ok) return false;
    }
    return true;
  }

  private static String scope(String scope) {
    return scope == null ? "" : scope;
  }
}
