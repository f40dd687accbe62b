package archy.paidblobs;

import archy.ecash.gate.PaymentGate;
import archy.ecash.offer.ServiceOffers;
import archy.film.CatalogFilm;
import archy.film.FilmCatalog;
import archy.quic.QuicNetwork;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * paid-blobs' part of the node's kind 10021 paid-service advert (PROTOCOLS.md §2.4, TollGate TIP-01/02 shape,
 * merged with other services' parts by ecash-gate's {@link ServiceOffers}): one {@code price_per_step} per
 * accepted mint at the default price, and, for each listed film sold at another price, one more per mint with the service and the film's coordinate as 7th and 8th elements
 * (docs/paid-blobs.md), so a client reads what a film really costs before its first 402. The endpoint's
 * transport is the public URL's own scheme ({@code http} is never advertised as {@code https}).
 */
final class ServiceOffer {
  /** Films priced apart are listed up to this many (newest first); more would make the offer unwieldy. */
  static final int MAX_FILM_PRICES = 200;

  private final String publicUrl;
  private final PaymentGate gate;
  private final FilmCatalog catalog;
  private final QuicNetwork quic;

  ServiceOffer(String publicUrl, PaymentGate gate, FilmCatalog catalog, QuicNetwork quic) {
    this.quic = quic;
    this.publicUrl = publicUrl;
    this.gate = gate;
    this.catalog = catalog;
  }

  /** content-download's lines of the node's offer ({@link ServiceOffers} adds the shared metric and step size). */
  List<List<String>> tags() {
    List<List<String>> tags = new ArrayList<>();
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
}
