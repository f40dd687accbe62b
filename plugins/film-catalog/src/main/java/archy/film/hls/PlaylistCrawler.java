package archy.film.hls;

import archy.film.FilmCatalog;
import archy.film.fetch.FetchThrough;
import archy.film.hls.HlsPlaylist.MalformedPlaylistException;
import archy.film.index.CatalogReader;
import archy.film.index.CatalogReader.CrawlDue;
import archy.film.index.CatalogWriter;
import archy.film.index.CatalogWriter.Member;
import archy.plugin.BlobInfo;
import archy.plugin.Blobs;
import archy.store.Transaction;
import java.io.IOException;
import java.io.InputStream;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Learns each listed film's whole blob set by reading its playlists (PROTOCOLS.md §1 and §2.1: the playlists are
 * authoritative, the event's {@code segments} only a hint): master, then every variant and rendition playlist,
 * recording every child by sha256 (segments, keys, init sections). Playlists held here are read from the store;
 * others are fetched through ({@link FetchThrough}: seeders, then origins, paid within the payer's caps), so a
 * node that knows only the master's sha256 can serve the whole film by Blossom GETs. Segments are not fetched.
 *
 * <p>The work is bounded ({@link HlsPlaylist#MAX_BYTES} per playlist, {@value #MAX_DEPTH} levels,
 * {@value #MAX_PLAYLISTS} playlists and {@value #MAX_BLOBS} blobs per film). A malformed playlist is recorded
 * (and shown in the catalog's {@code availability.playlists}) and not retried for that version of the film; an
 * unreachable one is retried with back-off. Crawls run one at a time on their own virtual thread, so a slow
 * source never holds the index worker; their results are written through it.
 */
public final class PlaylistCrawler implements AutoCloseable {
  private volatile Runnable afterRead = () -> { };
  static final int MAX_DEPTH = 3;
  static final int MAX_PLAYLISTS = 64;
  static final int MAX_BLOBS = 100_000;
  private static final int DUE_BATCH = 200;
  private static final Logger log = LoggerFactory.getLogger(PlaylistCrawler.class);

  private final CatalogReader reader;
  private final DataSource dataSource;
  private final Executor writer;
  private final FilmCatalog catalog;
  private final Blobs blobs;
  private final FetchThrough fetch;
  private final Clock clock;
  private final ExecutorService crawls = Executors.newSingleThreadExecutor(
      Thread.ofVirtual().name("film-catalog-playlists").factory());
  /** Films whose crawl is queued or running, until its result is recorded. */
  private final Set<String> queued = ConcurrentHashMap.newKeySet();
  /** Films that gained a source while their crawl was in flight: read again at once if that crawl fails. */
  private final Set<String> sourceDuringCrawl = ConcurrentHashMap.newKeySet();

  /** @param writer the catalog's index worker: every write to the catalog tables runs there */
  public PlaylistCrawler(CatalogReader reader, DataSource dataSource, Executor writer, FilmCatalog catalog, Blobs blobs,
                         FetchThrough fetch, Clock clock) {
    this.reader = reader;
    this.dataSource = dataSource;
    this.writer = writer;
    this.catalog = catalog;
    this.blobs = blobs;
    this.fetch = fetch;
    this.clock = clock;
  }

  /** Queues every listed film whose playlists are due to be read (new versions, retries). */
  public void crawlDue() {
    List<CrawlDue> due;
    try {
      due = reader.crawlsDue(clock.instant().getEpochSecond(), DUE_BATCH);
    } catch (SQLException e) {
      log.warn("film playlists: cannot list the films to read: {}", e.getMessage());
      return;
    }
    for (CrawlDue film : due) {
      if (queued.add(key(film.pubkey(), film.d()))) crawls.execute(() -> crawl(film));
    }
  }

  private static String key(String pubkey, String d) {
    return pubkey + ":" + d;
  }

  /** Queues a film version just indexed (listed films only; the caller checks). */
  public void crawl(String pubkey, String d, String eventId, String masterSha256, String playlistBlake3) {
    CrawlDue film = new CrawlDue(pubkey, d, eventId, masterSha256, playlistBlake3, 0);
    if (!queued.add(key(pubkey, d))) {
      // A crawl of an older version is queued or running; the periodic pass picks this version up after it.
      return;
    }
    crawls.execute(() -> crawl(film));
  }

  /**
   * A new seeder for a film: its playlists are read now if they were unreachable, without waiting for the
   * back-off (the seeder may be the only source). Runs on the writer, like the recording of a crawl's result:
   * when a crawl is in flight (it may have looked for sources before this one), it is read again as soon as
   * that crawl is recorded unreachable, not after the back-off (30 s, doubling).
   */
  public void sourceAppeared(String pubkey, String d) {
    if (queued.contains(key(pubkey, d))) {
      sourceDuringCrawl.add(key(pubkey, d));
      return;
    }
    try {
      var film = reader.film(pubkey, d);
      if (film.isEmpty()) return;
      CatalogReader.CrawlState state = reader.crawlState(pubkey, d, film.get().eventId());
      if ("unreachable".equals(state.state())) {
        crawl(pubkey, d, film.get().eventId(), film.get().masterSha256(), film.get().playlistBlake3());
      }
    } catch (SQLException e) {
      log.debug("film playlists: cannot look up {}: {}", d, e.getMessage());
    }
  }

  /** The outcome of reading one film's playlists. */
  record Result(List<Member> members, String state, String detail) {}

  /** Reads the film's playlists and records the result on the writer, where it stops being {@link #queued}. */
  private void crawl(CrawlDue film) {
    Result result;
    try {
      result = read(film);
    } catch (RuntimeException e) {
      done(film, false);
      throw e;
    }
    String label = "30082:" + film.pubkey() + ":" + film.d();
    switch (result.state()) {
      case "done" -> log.info("film playlists read: {} has {} blobs", label, result.members().size());
      case "malformed" -> log.warn("film playlists of {} are malformed: {}", label, result.detail());
      default -> log.info("film playlists of {} unreachable (attempt {}): {}", label, film.attempts() + 1,
          result.detail());
    }
    int attempts = result.state().equals("unreachable") ? film.attempts() + 1 : 0;
    writer.execute(() -> {
      try {
        Transaction.run(dataSource, c -> {
          try (CatalogWriter w = new CatalogWriter(c)) {
            w.recordCrawl(film.pubkey(), film.d(), film.eventId(), result.members(), result.state(), result.detail(),
                attempts, clock.instant().getEpochSecond());
            w.flush();
          }
          return null;
        });
      } catch (SQLException e) {
        log.warn("film playlists of {}: cannot record what was read: {}", label, e.getMessage());
        done(film, false);
        return;
      }
      done(film, result.state().equals("unreachable"));
      if (result.state().equals("done")) afterRead.run();
    });
  }

  /** The film's crawl is over; read it again now when it failed and a source appeared meanwhile. */
  private void done(CrawlDue film, boolean unreachable) {
    String key = key(film.pubkey(), film.d());
    queued.remove(key);
    if (sourceDuringCrawl.remove(key) && unreachable) {
      crawl(film.pubkey(), film.d(), film.eventId(), film.masterSha256(), film.playlistBlake3());
    }
  }

  /**
   * Runs on the writer once a film's playlists were read and recorded (the seed advertiser looks at once, so a
   * freshly published film is advertised in seconds, not at the next periodic check). It must not block.
   */
  public void afterRead(Runnable listener) {
    this.afterRead = listener;
  }

  /** Walks master → variants breadth first; what was learnt before a failure is kept. */
  Result read(CrawlDue film) {
    Map<String, String> members = new LinkedHashMap<>();
    members.put(film.masterSha256(), "master");
    record Pending(String sha256, String blake3, int depth) {}
    Deque<Pending> playlists = new ArrayDeque<>();
    playlists.add(new Pending(film.masterSha256(), film.playlistBlake3(), 0));
    int read = 0;
    while (!playlists.isEmpty()) {
      Pending next = playlists.poll();
      if (++read > MAX_PLAYLISTS) {
        return new Result(list(members), "malformed", "more than " + MAX_PLAYLISTS + " playlists");
      }
      HlsPlaylist playlist;
      try {
        playlist = HlsPlaylist.parse(bytes(next.sha256(), next.blake3()));
      } catch (MalformedPlaylistException e) {
        return new Result(list(members), "malformed", "playlist " + next.sha256() + ": " + e.getMessage());
      } catch (IOException | RuntimeException e) {
        return new Result(list(members), "unreachable", "playlist " + next.sha256() + ": " + e.getMessage());
      }
      for (HlsPlaylist.Child child : playlist.children()) {
        if (members.containsKey(child.sha256())) continue;
        if (members.size() >= MAX_BLOBS) {
          return new Result(list(members), "malformed", "more than " + MAX_BLOBS + " blobs");
        }
        members.put(child.sha256(), child.role().name().toLowerCase(Locale.ROOT));
        if (child.role() != HlsPlaylist.Role.PLAYLIST) continue;
        if (next.depth() + 1 >= MAX_DEPTH) {
          return new Result(list(members), "malformed", "playlists nest deeper than " + MAX_DEPTH + " levels");
        }
        playlists.add(new Pending(child.sha256(), null, next.depth() + 1));
      }
    }
    learnHeldPairs(members.keySet());
    return new Result(list(members), "done", null);
  }

  private byte[] bytes(String sha256, String blake3) throws IOException, MalformedPlaylistException {
    BlobInfo blob = fetch.fetchAny(sha256, blake3);
    if (blob.size() > HlsPlaylist.MAX_BYTES) {
      throw new MalformedPlaylistException("playlist is " + blob.size() + " bytes, over the " + HlsPlaylist.MAX_BYTES
          + " limit");
    }
    try (InputStream in = blobs.open(blob, 0, blob.size())) {
      return in.readAllBytes();
    }
  }

  /** Children held here already (the origin that uploaded them) get their BLAKE3 pair, for adverts and counts. */
  private void learnHeldPairs(Set<String> sha256s) {
    for (String sha256 : sha256s) {
      blobs.bySha256(sha256).ifPresent(b -> catalog.learnSha256(b.blake3(), b.sha256()));
    }
  }

  private static List<Member> list(Map<String, String> members) {
    List<Member> out = new ArrayList<>(members.size());
    members.forEach((sha, role) -> out.add(new Member(sha, role)));
    return out;
  }

  @Override
  public void close() {
    crawls.shutdownNow();
  }
}
