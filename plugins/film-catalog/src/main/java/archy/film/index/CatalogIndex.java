package archy.film.index;

import archy.film.event.FilmEvent;
import archy.film.event.InvalidEvent;
import archy.film.event.SeedAdvert;
import archy.film.index.CatalogReader.FilmKey;
import archy.film.nip71.Companions;
import archy.film.trust.PublisherTrust;
import archy.nostr.Event;
import archy.nostr.Kinds;
import archy.nostr.Nip19;
import archy.plugin.EventGateway;
import archy.store.Dialect;
import archy.store.Transaction;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the catalog tables in step with the stored events: indexes saved films, adverts and deletions in
 * batches, re-evaluates trust when a root's list arrives (or on the periodic refresh), and rebuilds from the
 * store at start. Every method runs on the {@link IndexWorker} thread.
 */
public final class CatalogIndex {
  private static final Logger log = LoggerFactory.getLogger(CatalogIndex.class);
  /** Adverts passed the size and expiry rules on the way in; indexing only needs them unexpired. */
  private static final long ANY_EXPIRY = Long.MAX_VALUE / 4;

  private final DataSource dataSource;
  private final CatalogReader reader;
  private final PublisherTrust trust;
  private final EventGateway events;
  private final Companions companions;
  private final int maxFilmEventBytes;
  private final Clock clock;
  private final Dialect dialect;
  private final List<Consumer<PublisherTrust.Change>> trustListeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<FilmEvent>> listedListeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<SeedAdvert>> advertListeners = new CopyOnWriteArrayList<>();

  /** @param companions null unless {@code publish_nip71} */
  public CatalogIndex(DataSource dataSource, CatalogReader reader, PublisherTrust trust, EventGateway events,
                      Companions companions, int maxFilmEventBytes, Clock clock, Dialect dialect) {
    this.dataSource = dataSource;
    this.reader = reader;
    this.trust = trust;
    this.events = events;
    this.companions = companions;
    this.maxFilmEventBytes = maxFilmEventBytes;
    this.clock = clock;
    this.dialect = dialect;
  }

  /** Called (on the worker thread) after a refresh changed the trusted set. */
  public void onTrustChange(Consumer<PublisherTrust.Change> listener) {
    trustListeners.add(listener);
  }

  /** What one batch changed, for the follow-up work after its commit. */
  private static final class Outcome {
    final List<FilmEvent> indexed = new ArrayList<>();
    final List<FilmKey> removed = new ArrayList<>();
    final List<SeedAdvert> adverts = new ArrayList<>();
    boolean trustListChanged;
  }

  /** Called (on the worker thread, after the commit) for each seed advert indexed. */
  public void onAdvertIndexed(Consumer<SeedAdvert> listener) {
    advertListeners.add(listener);
  }

  /** Called (on the worker thread, after the commit) for each film version indexed as listed. */
  public void onFilmListed(Consumer<FilmEvent> listener) {
    listedListeners.add(listener);
  }

  /** Indexes saved events in one transaction (one by one if the batch fails), then follows up. */
  public void index(List<Event> batch) {
    Outcome outcome = new Outcome();
    try {
      inTransaction(w -> {
        for (Event e : batch) apply(w, e, outcome);
      });
    } catch (SQLException batchFailed) {
      if (batch.size() == 1) {
        log.warn("cannot index event {}", batch.get(0).id(), batchFailed);
        return;
      }
      outcome.indexed.clear();
      outcome.removed.clear();
      outcome.adverts.clear();
      for (Event e : batch) {
        try {
          inTransaction(w -> apply(w, e, outcome));
        } catch (SQLException failed) {
          log.warn("cannot index event {}", e.id(), failed);
        }
      }
    }
    logIndexed(outcome);
    for (FilmEvent f : outcome.indexed) {
      if (!trust.isTrusted(f.pubkey())) continue;
      if (companions != null) companions.filmListed(f);
      for (Consumer<FilmEvent> listener : listedListeners) listener.accept(f);
    }
    if (companions != null) outcome.removed.forEach(companions::filmGone);
    if (outcome.trustListChanged) refreshTrust();
  }

  /** One line per film and advert the batch indexed, for operators following the logs. */
  private void logIndexed(Outcome outcome) {
    for (FilmEvent f : outcome.indexed) {
      log.info("film indexed: \"{}\" (d={}) by {}{}, {}", f.title(), f.d(), npub(f.pubkey()),
          f.satsPerMb() == null ? "" : ", " + f.satsPerMb() + " sat/MB",
          trust.isTrusted(f.pubkey()) ? "listed" : "stored unlisted (publisher not trusted)");
    }
    for (SeedAdvert a : outcome.adverts) {
      log.info("seed advert indexed: {} seeds blob {} of film {} at {} endpoint(s) until {}", npub(a.pubkey()),
          a.blake3(), a.filmD(), a.endpoints().size(), Instant.ofEpochSecond(a.expiresAt()));
      for (Consumer<SeedAdvert> listener : advertListeners) listener.accept(a);
    }
    for (FilmKey gone : outcome.removed) log.info("film removed: d={} by {}", gone.d(), npub(gone.pubkey()));
  }

  private static String npub(String hex) {
    return Nip19.encode(new Nip19.Pubkey(hex));
  }

  private void apply(CatalogWriter w, Event e, Outcome outcome) throws SQLException {
    switch (e.kind()) {
      case FilmEvent.KIND -> {
        FilmEvent film = parseFilm(e, false);
        if (film != null && w.upsertFilm(film, trust.isTrusted(film.pubkey()))) outcome.indexed.add(film);
      }
      case SeedAdvert.KIND -> {
        SeedAdvert advert = parseAdvert(e);
        if (advert != null && w.upsertAdvert(advert)) outcome.adverts.add(advert);
      }
      case PublisherTrust.LIST_KIND -> outcome.trustListChanged |= trust.isTrustList(e);
      case Kinds.DELETION -> applyDeletion(w, e, outcome);
      default -> { }
    }
  }

  /** NIP-09: the store already removed the author's events; mirror that in the index. */
  private static void applyDeletion(CatalogWriter w, Event deletion, Outcome outcome) throws SQLException {
    for (List<String> tag : deletion.tags()) {
      if (tag.size() < 2) continue;
      if (tag.get(0).equals("e")) {
        String d = w.deleteFilmById(tag.get(1), deletion.pubkey());
        if (d != null) outcome.removed.add(new FilmKey(deletion.pubkey(), d));
        w.deleteAdvertById(tag.get(1), deletion.pubkey());
      } else if (tag.get(0).equals("a")) {
        String[] parts = tag.get(1).split(":", 3);
        if (parts.length != 3 || !parts[1].equals(deletion.pubkey())) continue;
        boolean film = parts[0].equals(Integer.toString(FilmEvent.KIND));
        if (film && w.deleteFilm(parts[1], parts[2], deletion.createdAt())) {
          outcome.removed.add(new FilmKey(parts[1], parts[2]));
        } else if (parts[0].equals(Integer.toString(SeedAdvert.KIND))) {
          w.deleteAdvert(parts[1], parts[2], deletion.createdAt());
        }
      }
    }
  }

  /** Re-reads the roots' lists; lists and delists the films of publishers who gained or lost trust. */
  public void refreshTrust() {
    PublisherTrust.Change change = trust.refresh(events);
    if (change.isEmpty()) return;
    log.info("film publishers: {} trusted now, {} no longer", change.added().size(), change.removed().size());
    try {
      inTransaction(w -> {
        w.setListed(change.added(), true);
        w.setListed(change.removed(), false);
      });
    } catch (SQLException e) {
      log.warn("cannot update listed films after a trust change", e);
    }
    if (companions != null) {
      for (FilmKey key : companions.keys()) {
        if (change.removed().contains(key.pubkey())) companions.filmGone(key);
      }
      for (String pubkey : change.added()) {
        StoredScan.forEach(events, FilmEvent.KIND, pubkey, e -> {
          FilmEvent film = parseFilm(e, false);
          if (film != null) companions.filmListed(film);
        });
      }
    }
    for (Consumer<PublisherTrust.Change> listener : trustListeners) listener.accept(change);
  }

  /**
   * Makes the tables match the store: indexes stored films and adverts the index lacks (or holds an older
   * version of), drops rows whose events are gone, and sets every film's listed flag from the current trust.
   */
  public void rebuild() throws SQLException {
    trust.refresh(events);
    long started = System.nanoTime();
    Map<FilmKey, String> indexed = reader.indexedFilms();
    Set<FilmKey> stored = new HashSet<>();
    Set<FilmKey> listedPublic = new HashSet<>();
    List<FilmEvent> pending = new ArrayList<>();
    int[] added = {0};
    StoredScan.forEach(events, FilmEvent.KIND, null, e -> {
      FilmKey key = new FilmKey(e.pubkey(), e.address());
      FilmEvent film = null;
      if (!e.id().equals(indexed.get(key))) {
        // Events stored before this plugin ran never met its checks: verify them fully now.
        film = parseFilm(e, true);
        if (film == null) return;
        pending.add(film);
        if (pending.size() >= IndexWorker.MAX_BATCH) added[0] += writeFilms(pending);
      }
      stored.add(key);
      if (companions == null || !trust.isTrusted(e.pubkey())) return;
      if (companions.isCurrent(key, e.id())) {
        listedPublic.add(key);
        return;
      }
      if (film == null) film = parseFilm(e, false);
      if (film != null && !film.encrypted()) {
        companions.filmListed(film);
        listedPublic.add(key);
      }
    });
    added[0] += writeFilms(pending);
    List<FilmKey> gone = indexed.keySet().stream().filter(k -> !stored.contains(k)).toList();
    Set<String> advertIds = new HashSet<>();
    List<SeedAdvert> adverts = new ArrayList<>();
    Set<String> indexedAdverts = reader.indexedAdvertIds();
    StoredScan.forEach(events, SeedAdvert.KIND, null, e -> {
      advertIds.add(e.id());
      if (indexedAdverts.contains(e.id())) return;
      SeedAdvert advert = parseAdvert(e);
      if (advert != null) adverts.add(advert);
    });
    Map<String, Integer> publishers = reader.publishers();
    inTransaction(w -> {
      for (FilmKey key : gone) w.deleteFilm(key.pubkey(), key.d(), Long.MAX_VALUE);
      for (SeedAdvert advert : adverts) w.upsertAdvert(advert);
      for (String id : indexedAdverts) {
        if (!advertIds.contains(id)) w.deleteAdvertEvent(id);
      }
      w.purgeExpiredAdverts(clock.instant().getEpochSecond());
      for (Map.Entry<String, Integer> p : publishers.entrySet()) {
        boolean want = trust.isTrusted(p.getKey());
        int wanted = want ? CatalogReader.ALL_LISTED : CatalogReader.NONE_LISTED;
        if (p.getValue() != wanted) w.setListed(List.of(p.getKey()), want);
      }
    });
    if (companions != null) {
      for (FilmKey key : companions.keys()) {
        if (!listedPublic.contains(key)) companions.filmGone(key);
      }
    }
    if (dialect == Dialect.POSTGRESQL) analyze();
    log.info("film catalog rebuilt in {} ms: {} films stored, {} (re)indexed, {} dropped, {} adverts indexed",
        (System.nanoTime() - started) / 1_000_000, stored.size(), added[0], gone.size(), adverts.size());
  }

  /**
   * PostgreSQL plans the catalog queries well only with statistics (with none it hash-joins every genre
   * row); autovacuum gathers them eventually, a rebuild right away.
   */
  private void analyze() throws SQLException {
    try (Connection c = dataSource.getConnection(); var s = c.createStatement()) {
      s.execute("ANALYZE film_catalog_films, film_catalog_genres, film_catalog_blobs, film_catalog_adverts");
    }
  }

  public void purgeExpiredAdverts() {
    try {
      inTransaction(w -> w.purgeExpiredAdverts(clock.instant().getEpochSecond()));
    } catch (SQLException e) {
      log.warn("cannot purge expired adverts", e);
    }
  }

  private int writeFilms(List<FilmEvent> films) {
    if (films.isEmpty()) return 0;
    int n = films.size();
    try {
      inTransaction(w -> {
        for (FilmEvent f : films) w.upsertFilm(f, trust.isTrusted(f.pubkey()));
      });
    } catch (SQLException e) {
      log.warn("cannot index {} stored films", n, e);
    }
    films.clear();
    return n;
  }

  private FilmEvent parseFilm(Event e, boolean verifyCreator) {
    try {
      return FilmEvent.parse(e, maxFilmEventBytes, verifyCreator);
    } catch (InvalidEvent invalid) {
      log.debug("not indexing film {}: {}", e.id(), invalid.getMessage());
      return null;
    }
  }

  private SeedAdvert parseAdvert(Event e) {
    try {
      return SeedAdvert.parse(e, clock.instant().getEpochSecond(), ANY_EXPIRY, true);
    } catch (InvalidEvent invalid) {
      log.debug("not indexing advert {}: {}", e.id(), invalid.getMessage());
      return null;
    }
  }

  private interface Work {
    void run(CatalogWriter w) throws SQLException;
  }

  private void inTransaction(Work work) throws SQLException {
    Transaction.run(dataSource, c -> {
      try (CatalogWriter w = new CatalogWriter(c)) {
        work.run(w);
        w.flush();
      }
      return null;
    });
  }
}
