package archy.paidblobs;

import archy.ecash.gate.Decision;
import archy.ecash.gate.PaymentGate;
import archy.ecash.gate.Redeem;
import archy.ecash.gate.Reservation;
import archy.ecash.token.InvalidTokenException;
import archy.ecash.token.Token;
import archy.film.CatalogFilm;
import archy.film.FilmCatalog;
import archy.nostr.Hex;
import archy.plugin.BlobGet;
import archy.plugin.BlobVerdict;
import archy.plugin.GetPolicy;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * BUD-07 + NUT-24 with sessions (PROTOCOLS.md §4.1): a GET of a blob of a monetized trusted film is served
 * from a session's pre-paid balance, scoped to that film; without credit it is answered 402 with a NUT-18
 * request. A token in {@code X-Cashu} is redeemed (swapped at its mint) before anything is served. The bytes of
 * the response are reserved against the session's balance before it is sent, so parallel GETs of one session
 * never spend more than it holds, and the allow's {@code onServed} settles the reservation: the bytes handed
 * to the client are debited (rounded up to a chunk), the rest released.
 *
 * <p>Free: HEAD, blobs outside monetized films, configured free scopes and federation peers (a valid
 * BUD-11 {@code get} token of a {@code free_peers} key; their bytes go out {@code private}, so no shared cache
 * passes them on). A token worth less than the request asks is refused (400) before it is redeemed.
 */
final class PaidGetPolicy implements GetPolicy {
  private static final Logger log = LoggerFactory.getLogger(PaidGetPolicy.class);
  static final String SESSION_HEADER = "X-Archy-Session";
  static final String CASHU_HEADER = "X-Cashu";
  /** The price the 402 asks at (sats per 10^6 bytes): informative on HTTP, the {@code sats_per_mb} of QUIC's 402. */
  static final String PRICE_HEADER = "X-Archy-Sats-Per-Mb";
  private static final String SERVICE = PaymentGate.CONTENT_DOWNLOAD;

  private final PaymentGate gate;
  private final FilmCatalog catalog;
  private final Set<String> freePeers;
  private final Set<String> freeScopes;
  private final Set<String> unpayableWarned = ConcurrentHashMap.newKeySet();

  PaidGetPolicy(PaymentGate gate, FilmCatalog catalog, Set<String> freePeers, Set<String> freeScopes) {
    this.gate = gate;
    this.catalog = catalog;
    this.freePeers = freePeers;
    this.freeScopes = freeScopes;
  }

  @Override
  public BlobVerdict check(BlobGet get) {
    if (get.head()) return BlobVerdict.allow();
    Optional<CatalogFilm> film = pricingFilm(get);
    if (film.isEmpty()) return BlobVerdict.allow();
    String scope = film.get().coordinate();
    if (gate.mints().isEmpty()) {
      // A 402 naming no mint cannot be paid: serve free rather than lock viewers out, and say so loudly.
      if (unpayableWarned.add(scope)) {
        log.warn("paid-blobs: film {} is priced at {} sat/MB but [ecash-gate] mints is empty: serving it FREE until "
            + "a mint is configured", scope, film.get().satsPerMb());
      }
      return BlobVerdict.allow();
    }
    if (get.origin().authedPubkeys().stream().anyMatch(freePeers::contains)) {
      // Free for this peer only: a shared cache must not hand these bytes to everyone else.
      return BlobVerdict.allow(Map.of("Cache-Control", "private"));
    }
    priceScope(scope, film.get().satsPerMb());
    String session = sessionOf(get);
    String token = get.headers().get(CASHU_HEADER);
    boolean paidNow = false;
    if (token != null && !token.isBlank()) {
      Decision before = gate.authorize(session, SERVICE, scope, get.length());
      if (before instanceof Decision.PaymentRequired required) {
        session = required.sessionId();
        Optional<String> missing = shortfall(token.strip(), required.request().amount());
        if (missing.isPresent()) return BlobVerdict.deny(400, missing.get());
      }
      switch (gate.redeem(token.strip(), SERVICE, scope, session)) {
        case Redeem.Credited credited -> session = credited.sessionId();
        case Redeem.Deferred deferred -> session = deferred.sessionId();
        case Redeem.Refused refused -> {
          return BlobVerdict.deny(refused.httpStatus(), refused.reason());
        }
      }
      paidNow = true;
    }
    return switch (gate.reserve(session, SERVICE, scope, get.length())) {
      case Decision.Allowed allowed -> served(session, allowed.reservation());
      case Decision.PaymentRequired required -> paymentRequired(required, paidNow, gate.satsPerMb(SERVICE, scope));
    };
  }

  /**
   * Why a token cannot pay for this GET before anything is redeemed: less than the request asks (§4.1:
   * insufficient tokens are refused with nothing credited). A token that does not even decode is left to the
   * gate, whose reason names the problem.
   */
  private static Optional<String> shortfall(String token, long wanted) {
    try {
      long amount = Token.decode(token).amount();
      return amount >= wanted ? Optional.empty()
          : Optional.of("insufficient: the token holds " + amount + " sat, this request needs " + wanted + " sat");
    } catch (InvalidTokenException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * The film whose price and scope this GET pays in (docs/paid-blobs.md, "Blobs in several films"): none (free)
   * when any listed film holding the blob is free or a free scope; else the film of the request's session when the
   * blob belongs to it (a viewer who paid for a film keeps paying in it, whatever else reuses its segments); else
   * the cheapest film holding it (ties: the newest).
   */
  private Optional<CatalogFilm> pricingFilm(BlobGet get) {
    List<CatalogFilm> films = catalog.filmsContaining(get.blob().sha256(), get.blob().blake3());
    CatalogFilm cheapest = null;
    for (CatalogFilm film : films) {
      if (!film.monetized() || film.satsPerMb() == 0 || freeScopes.contains(film.coordinate())) return Optional.empty();
      if (cheapest == null || film.satsPerMb() < cheapest.satsPerMb()) cheapest = film;
    }
    if (cheapest == null) return Optional.empty();
    String session = sessionOf(get);
    if (session != null && films.size() > 1) {
      for (CatalogFilm film : films) {
        if (gate.balance(session, SERVICE, film.coordinate()) != 0) return Optional.of(film);
      }
    }
    return Optional.of(cheapest);
  }

  /** The film's own price (its event's price tag) is the scope's price; the gate's default covers the rest. */
  private void priceScope(String scope, Long satsPerMb) {
    if (satsPerMb != null && gate.satsPerMb(SERVICE, scope) != satsPerMb) gate.setScopePrice(SERVICE, scope, satsPerMb);
  }

  private static String sessionOf(BlobGet get) {
    String session = get.headers().get(SESSION_HEADER);
    // A session id is a bearer credential the gate made: 32 hex; anything else starts a new session.
    return session != null && Hex.isLowerHex(session.strip(), 32) ? session.strip() : null;
  }

  /** The reservation is settled when the body ends: the bytes handed out are debited, the rest released. */
  private static BlobVerdict served(String session, Reservation reservation) {
    if (session == null) return BlobVerdict.allow(); // the scope is free (price 0)
    return BlobVerdict.allow(Map.of("Cache-Control", "private", SESSION_HEADER, session), reservation::settle);
  }

  /**
   * 402 with a request for the shortfall. When a token came with this very request it has been credited
   * (nothing paid is lost) but did not cover the bytes asked for: the reason says so, and the session keeps
   * the credit for the next, topped-up try.
   */
  private static BlobVerdict paymentRequired(Decision.PaymentRequired required, boolean paidNow, long satsPerMb) {
    String reason = paidNow
        ? "insufficient: the token was credited but the session lacks " + required.shortfallBytes() + " bytes"
        : "payment required: " + required.request().amount() + " sat";
    return BlobVerdict.paymentRequired(Map.of(
        CASHU_HEADER, required.request().encodeA(),
        SESSION_HEADER, required.sessionId(),
        PRICE_HEADER, Long.toString(satsPerMb),
        "Cache-Control", "no-store"), reason);
  }
}
