package archy.film;

import archy.film.event.FilmEvent;
import archy.film.event.InvalidEvent;
import archy.film.event.SeedAdvert;
import archy.film.trust.AdvertGate;
import archy.film.trust.PublisherTrust;
import archy.nostr.Event;
import archy.plugin.EventPolicy;
import archy.plugin.Origin;
import archy.plugin.Verdict;
import java.time.Clock;

/**
 * The {@code rejectEvent} hook for kinds 30082 and 30081 (PROTOCOLS.md §2–§3). Trust is checked before the
 * shape, so an untrusted publisher's film costs no JSON parse or Ed25519 verification.
 */
final class FilmPolicy implements EventPolicy {
  private final FilmCatalogConfig config;
  private final PublisherTrust trust;
  private final AdvertGate adverts;
  private final Clock clock;

  FilmPolicy(FilmCatalogConfig config, PublisherTrust trust, AdvertGate adverts, Clock clock) {
    this.config = config;
    this.trust = trust;
    this.adverts = adverts;
    this.clock = clock;
  }

  @Override
  public Verdict check(Event event, Origin origin) {
    return switch (event.kind()) {
      case FilmEvent.KIND -> film(event);
      case SeedAdvert.KIND -> advert(event);
      default -> Verdict.accept();
    };
  }

  private Verdict film(Event event) {
    if (!config.storeUntrusted() && !trust.isTrusted(event.pubkey())) {
      return Verdict.reject("blocked: untrusted film publisher");
    }
    try {
      FilmEvent.parse(event, config.maxFilmEventBytes(), true);
      return Verdict.accept();
    } catch (InvalidEvent invalid) {
      return Verdict.reject(invalid.okMessage());
    }
  }

  private Verdict advert(Event event) {
    boolean known = adverts.isKnownAdvertiser(event.pubkey());
    if (!known && !adverts.isOpen()) return adverts.admit(event.pubkey());
    try {
      SeedAdvert.parse(event, clock.instant().getEpochSecond(), config.maxAdvertSeconds(), config.fetchAllowPrivate());
    } catch (InvalidEvent invalid) {
      return Verdict.reject(invalid.okMessage());
    }
    return known ? Verdict.accept() : adverts.admit(event.pubkey());
  }
}
