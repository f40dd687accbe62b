package archy.paidblobs;

import archy.ecash.gate.PaymentGate;
import archy.film.CatalogFilm;
import archy.film.FilmCatalog;
import archy.nostr.Event;
import archy.nostr.EventSigner;
import archy.nostr.Keys;
import archy.plugin.EventGateway;
import archy.plugin.Origin;
import archy.quic.QuicNetwork;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's kind 10021 paid-service advert (PROTOCOLS.md §2.4, TollGate TIP-01/02 shape): bytes metered per
 * 10^6-byte step, one {@code price_per_step} per accepted mint at the default price, and, for each listed film
 * sold at another price, one more per mint with the service and the film's coordinate as 7th and 8th elements
 * (docs/paid-blobs.md), so a client reads what a film really costs before its first 402. The endpoint's
 * transport is the public URL's own scheme ({@code http} is never advertised as {@code https}).
 */
final class ServiceOffer {
  static final int KIND = 10021;
  /** Films priced apart are listed up to this many (newest first); more would make the offer unwieldy. */
  static final int MAX_FILM_PRICES = 200;
  private static final Logger log = LoggerFactory.getLogger(ServiceOffer.class);

  private final Keys keys;
  private final String publicUrl;
  private final PaymentGate gate;
  private final FilmCatalog catalog;
  private final Clock clock;
  private final QuicNetwork quic;
  private List<List<String>> lastTags;
  private long lastPublished;

  ServiceOffer(Keys keys, String publicUrl, PaymentGate gate, FilmCatalog catalog, QuicNetwork quic, Clock clock) {
    this.quic = quic;
    this.keys = keys;
    this.publicUrl = publicUrl;
    this.gate = gate;
    this.catalog = catalog;
    this.clock = clock;
  }

  List<List<String>> tags() {
    List<List<String>> tags = new ArrayList<>();
    tags.add(List.of("metric", "bytes"));
    tags.add(List.of("step_size", "1000000"));
    long defaultPrice = gate.satsPerMb(PaymentGate.CONTENT_DOWNLOAD, null);
    for (String mint : gate.mints()) {
      tags.add(List.of("price_per_step", "cashu", Long.toString(defaultPrice), "sat", mint, "1"));
    }
    for (CatalogFilm film : catalog.monetizedFilms(MAX_FILM_PRICES)) {
      if (film.satsPerMb() == defaultPrice) continue;
      for (String mint : gate.mints()) {
        tags.add(List.of("price_per_step", "cashu", Long.toString(film.satsPerMb()), "sat", mint, "1",
            PaymentGate.CONTENT_DOWNLOAD, film.coordinate()));
      }
    }
    tags.add(List.of("service", PaymentGate.CONTENT_DOWNLOAD));
    tags.add(List.of("endpoint", URI.create(publicUrl).getScheme(), publicUrl));
    if (quic.serves(QuicPaidBlobs.ALPN)) {
      quic.endpoint().ifPresent(hostPort -> tags.add(List.of("endpoint", "quic", hostPort, QuicPaidBlobs.ALPN,
          quic.fingerprint())));
    }
    return tags;
  }

  Event event() {
    return EventSigner.sign(keys, clock.instant().getEpochSecond(), KIND, tags(), "");
  }

  /** Publishes when the offer changed (a film priced, a mint added) or once a day to keep it fresh. */
  synchronized void publishIfChanged(EventGateway events) {
    List<List<String>> tags = tags();
    long now = clock.instant().getEpochSecond();
    if (tags.equals(lastTags) && now - lastPublished < 86_400) return;
    try {
      EventGateway.Published result = events.publish(EventSigner.sign(keys, now, KIND, tags, ""), Origin.INTERNAL).get();
      if (!result.accepted()) {
        log.warn("the kind 10021 offer was refused: {}", result.message());
        return;
      }
      lastTags = tags;
      lastPublished = now;
      log.info("paid-blobs: published the kind 10021 offer ({} mints, {} price lines)", gate.mints().size(),
          tags.stream().filter(t -> t.get(0).equals("price_per_step")).count());
    } catch (Exception e) {
      log.warn("publishing the kind 10021 offer failed: {}", e.getMessage());
    }
  }
}
