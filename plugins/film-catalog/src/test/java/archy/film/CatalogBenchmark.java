package archy.film;

import archy.config.Config;
import archy.config.ConfigLoader;
import archy.film.index.CatalogIndex;
import archy.film.index.CatalogReader;
import archy.film.trust.PublisherTrust;
import archy.nostr.Event;
import archy.nostr.Filter;
import archy.nostr.Keys;
import archy.plugin.EventGateway;
import archy.plugin.Origin;
import archy.server.ArchyNode;
import archy.store.Database;
import archy.store.EventRecord;
import archy.store.Migrations;
import archy.store.StoredEvent;
import archy.testing.WsClient;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * A catalog of 10,000 films (10 segments, a poster, two genres and a creator signature each):
 * <ol>
 *   <li>indexing rate of the index alone (batches straight into {@link CatalogIndex}, as the worker does);
 *   <li>end to end: films published over 4 WebSocket connections until all are listed;
 *   <li>a start that re-indexes all 10,000 stored films from scratch (full checks, Ed25519 included);
 *   <li>latency of {@code GET /api/film-catalog} (first page, a search, a genre) over one keep-alive connection.
 * </ol>
 * A main, not a test. From plugins/film-catalog after {@code mvn test-compile}:
 * <pre>
 * java -cp "target/classes:target/test-classes:../../relay-server/target/classes:\
 *   ../../relay-server/target/test-classes:../../relay-server/target/lib/*" \
 *   archy.film.CatalogBenchmark sqlite|postgresql [index]
 * </pre>
 * ({@code index}: the first measurement only)
 */
final class CatalogBenchmark {
  private static final int FILMS = 10_000;
  private static final String PG_ADMIN = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

  private CatalogBenchmark() {}

  public static void main(String[] args) throws Exception {
    String backend = args.length > 0 ? args[0] : "sqlite";
    Keys publisher = Keys.generate();
    System.out.printf("building %,d signed film events...%n", FILMS);
    List<Event> films = new ArrayList<>(FILMS);
    Films.Creator creator = Films.Creator.generate();
    long base = System.currentTimeMillis() / 1000 - FILMS;
    String[] genres = {"drama", "comedy", "noir", "documentary", "animation", "short", "horror", "romance"};
    for (int i = 0; i < FILMS; i++) {
      films.add(Films.film(publisher, "film-" + i).title("Benchmark film number " + i).segments(8)
          .genres(genres[i % genres.length], genres[(i / 8) % genres.length]).creator(creator, true)
          .createdAt(base + i).sign());
    }
    System.out.printf("average event %,d bytes%n", films.stream().mapToInt(e -> e.json().length()).sum() / FILMS);

    indexAlone(backend, publisher, films, "cold JVM");
    indexAlone(backend, publisher, films, "warm JVM");
    if (args.length > 1 && args[1].equals("index")) return;
    endToEnd(backend, publisher, films);
  }

  private static void indexAlone(String backend, Keys publisher, List<Event> films, String label) throws Exception {
    Path dir = Files.createTempDirectory("film-bench-index");
    String schema = backend.equals("sqlite") ? null : createSchema();
    try (Database db = Database.open(storage(backend, schema), dir)) {
      Migrations.apply(db.dataSource(), db.dialect(), "film-catalog", CatalogBenchmark.class.getClassLoader());
      EventGateway none = new EventGateway() {
        @Override public CompletableFuture<Published> publish(Event event, Origin origin) {
          throw new UnsupportedOperationException();
        }
        @Override public List<StoredEvent> query(Filter filter, int limit) {
          return List.of();
        }
        @Override public void records(Filter filter, int limit, Predicate<EventRecord> sink) {}
      };
      CatalogIndex index = new CatalogIndex(db.dataSource(), new CatalogReader(db.dataSource()),
          new PublisherTrust(Set.of(publisher.publicKeyHex()), Set.of()), none, null, 262_144, Clock.systemUTC(), db.dialect());
      long start = System.nanoTime();
      for (int i = 0; i < films.size(); i += 100) index.index(films.subList(i, Math.min(films.size(), i + 100)));
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf("[%s] index alone (%s): %,d films in %.2f s = %,.0f films/s%n", backend, label, films.size(),
          seconds, films.size() / seconds);
    } finally {
      if (schema != null) dropSchema(schema);
    }
  }

  private static void endToEnd(String backend, Keys publisher, List<Event> films) throws Exception {
    Path dir = Files.createTempDirectory("film-bench-node");
    String schema = backend.equals("sqlite") ? null : createSchema();
    String storageToml = "[storage]\nurl = \"" + storage(backend, schema) + "\"\n";
    String toml = "[plugins]\nenabled = [\"film-catalog\"]\n[film-catalog]\ntrusted_publishers = [\""
        + publisher.publicKeyHex() + "\"]\n[relay]\nevents_per_second = 1000000\nevent_burst = 1000000\n" + storageToml;
    try {
      int port = freePort();
      try (ArchyNode node = start(toml, port, dir); Database db = Database.open(storage(backend, schema), dir)) {
        List<WsClient> clients = new ArrayList<>();
        for (int i = 0; i < 4; i++) clients.add(WsClient.connectSkippingAuth("ws://127.0.0.1:" + port));
        long start = System.nanoTime();
        for (int i = 0; i < films.size(); i++) clients.get(i % 4).send("[\"EVENT\"," + films.get(i).json() + "]");
        int refused = 0;
        for (int i = 0; i < films.size(); i++) {
          if (!clients.get(i % 4).next(60_000).path(2).asBoolean()) refused++;
        }
        double acked = (System.nanoTime() - start) / 1e9;
        while (count(db) < films.size()) Thread.sleep(5);
        double listed = (System.nanoTime() - start) / 1e9;
        System.out.printf("[%s] end to end: %,d films acknowledged in %.2f s (%d refused), all listed after %.2f s = %,.0f films/s%n",
            backend, films.size(), acked, refused, listed, films.size() / listed);
        clients.forEach(WsClient::close);
        if (schema != null) {
          // What autovacuum does within a minute or so of a bulk load; without statistics PostgreSQL
          // hash-joins whole tables for the genre filter (see CatalogIndex#analyze).
          try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("ANALYZE");
          }
        }
        latencies(backend, port);
      }
      // Forget the index, keep the events: the next start re-indexes everything from the store.
      try (Database db = Database.open(storage(backend, schema), dir); Connection c = db.dataSource().getConnection();
           Statement s = c.createStatement()) {
        for (String table : List.of("film_catalog_films", "film_catalog_blobs", "film_catalog_genres", "film_catalog_sha256")) {
          s.executeUpdate("DELETE FROM " + table);
        }
      }
      long start = System.nanoTime();
      try (ArchyNode node = start(toml, freePort(), dir)) {
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("[%s] start with a full re-index of %,d stored films: %.2f s = %,.0f films/s%n", backend,
            films.size(), seconds, films.size() / seconds);
      }
    } finally {
      if (schema != null) dropSchema(schema);
    }
  }

  private static void latencies(String backend, int port) throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String base = "http://127.0.0.1:" + port + "/api/film-catalog";
    for (String query : List.of("", "?limit=100", "?q=number%2099", "?t=noir", "?t=noir&q=film")) {
      HttpRequest request = HttpRequest.newBuilder(URI.create(base + query)).build();
      for (int i = 0; i < 500; i++) http.send(request, HttpResponse.BodyHandlers.ofString());
      long[] nanos = new long[2000];
      int bytes = 0;
      for (int i = 0; i < nanos.length; i++) {
        long t = System.nanoTime();
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        nanos[i] = System.nanoTime() - t;
        if (r.statusCode() != 200) throw new IllegalStateException(r.statusCode() + " " + r.body());
        bytes = r.body().length();
      }
      Arrays.sort(nanos);
      System.out.printf("[%s] GET /api/film-catalog%s: p50 %.2f ms, p99 %.2f ms, max %.2f ms (%,d bytes)%n", backend,
          query, nanos[nanos.length / 2] / 1e6, nanos[nanos.length * 99 / 100] / 1e6, nanos[nanos.length - 1] / 1e6, bytes);
    }
  }

  private static ArchyNode start(String toml, int port, Path dir) throws Exception {
    Config config = ConfigLoader.parse(toml, new ConfigLoader.Overrides("127.0.0.1", port, 0, dir, null, null));
    return new ArchyNode(config, Clock.systemUTC()).start();
  }

  private static int count(Database db) throws Exception {
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM film_catalog_films WHERE listed = 1")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static String storage(String backend, String schema) {
    return schema == null ? "sqlite" : "postgresql://postgres@127.0.0.1:5432/test?currentSchema=" + schema;
  }

  private static String createSchema() throws Exception {
    String name = "archy_bench_" + Long.toHexString(System.nanoTime());
    try (Connection c = DriverManager.getConnection(PG_ADMIN); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + name);
    }
    return name;
  }

  private static void dropSchema(String name) throws Exception {
    try (Connection c = DriverManager.getConnection(PG_ADMIN); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
