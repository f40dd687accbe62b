package archy.film.fetch;

import archy.http.PublicAddresses;
import archy.film.CatalogFilm;
import archy.film.Endpoint;
import archy.film.FilmCatalog;
import archy.film.Seeder;
import archy.plugin.BlobInfo;
import archy.plugin.BlobSource;
import archy.plugin.Blobs;
import archy.plugin.MissingBlobHook;
import archy.plugin.Origin;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetch-through ("swarm-assist, origin always wins", PROTOCOLS.md §4): a GET for a blob of a trusted catalog film
 * that this node lacks is fetched from the film's seeders (30081 https endpoints, in {@link FilmCatalog#seeders}
 * order: free first), then from the origin Blossom servers, stored and served by the host.
 *
 * <p>Only hashes the catalog names are fetched, and only from addresses the catalog holds (adverts that passed
 * its trust gate, configured origins): never a URL from the request. Each source is stored into the blob store
 * on its own ({@link Blobs#store} checks the hashes), so wrong bytes from one source keep nothing and the next
 * is tried; the host's own copy from the returned stream is then a local read. Concurrent GETs of one blob
 * share one fetch: the later ones wait for it and read the stored blob.
 */
public final class FetchThrough implements MissingBlobHook {
  private static final Logger log = LoggerFactory.getLogger(FetchThrough.class);
  /** Bounds what one source may stream into the store before its hash can be checked. */
  static final long MAX_BYTES = 2L << 30;
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  /** Until the status line and headers arrive. */
  private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(15);

  private final FilmCatalog catalog;
  private final Blobs blobs;
  private final boolean allowPrivate;
  // Redirects are not followed: a seeder must not steer the node to another (e.g. internal) address.
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
      .followRedirects(HttpClient.Redirect.NEVER).build();
  private final ConcurrentHashMap<String, CompletableFuture<BlobInfo>> inFlight = new ConcurrentHashMap<>();

  public FetchThrough(FilmCatalog catalog, Blobs blobs, boolean allowPrivate) {
    this.catalog = catalog;
    this.blobs = blobs;
    this.allowPrivate = allowPrivate;
  }

  @Override
  public Optional<BlobSource> sourceFor(String sha256, String blake3, Origin origin) {
    String b3 = blake3 != null ? blake3 : catalog.blake3ForSha256(sha256).orElse(null);
    if (b3 == null) return Optional.empty();
    List<CatalogFilm> films = catalog.filmsWithBlob(b3);
    if (films.isEmpty()) return Optional.empty();
    // By BLAKE3 the sha256 is known for a master playlist (the film's x tag); origins are asked by sha256 then.
    String sha = sha256 != null ? sha256
        : films.stream().filter(f -> b3.equals(f.playlistBlake3())).map(CatalogFilm::masterSha256).findFirst()
            .orElse(null);
    List<String> bases = sources(b3);
    // Nowhere to fetch from: the host's plain 404, as for any blob not held.
    if (bases.isEmpty()) return Optional.empty();
    return Optional.of(new BlobSource(sha, b3, null, null, () -> {
      BlobInfo blob = fetchOnce(bases, sha, b3);
      return blobs.open(blob, 0, blob.size());
    }));
  }

  /** Base URLs to try: the seeders' https endpoints in {@link FilmCatalog#seeders} order, then the origins. */
  private List<String> sources(String blake3) {
    List<String> bases = new ArrayList<>();
    for (Seeder seeder : catalog.seeders(blake3)) {
      for (Endpoint e : seeder.endpoints()) {
        if (e.transport().equals("https")) bases.add(e.address());
      }
    }
    bases.addAll(catalog.originServers());
    return bases;
  }

  /** The stored blob, fetched by this call or by a concurrent one for the same blob. */
  private BlobInfo fetchOnce(List<String> bases, String sha256, String blake3) throws IOException {
    CompletableFuture<BlobInfo> mine = new CompletableFuture<>();
    CompletableFuture<BlobInfo> running = inFlight.putIfAbsent(blake3, mine);
    if (running != null) return await(running);
    try {
      // A fetch that finished between the host's lookup and now has stored it already.
      BlobInfo blob = blobs.byBlake3(blake3).orElse(null);
      if (blob == null) blob = fetch(bases, sha256, blake3);
      mine.complete(blob);
      return blob;
    } catch (IOException | RuntimeException e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      inFlight.remove(blake3, mine);
    }
  }

  private static BlobInfo await(CompletableFuture<BlobInfo> running) throws IOException {
    try {
      return running.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted waiting for a concurrent fetch");
    } catch (ExecutionException e) {
      throw new IOException("the shared fetch failed: " + e.getCause().getMessage(), e.getCause());
    }
  }

  private BlobInfo fetch(List<String> bases, String sha256, String blake3) throws IOException {
    String path = sha256 != null ? "/" + sha256 : "/b3/" + blake3;
    for (String base : bases) {
      try {
        URI uri = URI.create(base + path);
        if (!allowPrivate && !PublicAddresses.isPublicHost(uri.getHost())) {
          log.debug("fetch-through: skipping {}, a private or loopback address", base);
          continue;
        }
        var result = blobs.store(new BlobSource(sha256, blake3, null, null, () -> open(uri)), MAX_BYTES);
        if (result instanceof Blobs.StoreResult.Stored stored) {
          BlobInfo blob = stored.blob();
          catalog.learnSha256(blob.blake3(), blob.sha256());
          return blob;
        }
        log.info("fetch-through: {} refused: {}", uri, ((Blobs.StoreResult.Refused) result).reason());
      } catch (IOException | RuntimeException e) {
        log.info("fetch-through: {}{} failed: {}", base, path, e.toString());
      }
    }
    throw new IOException("no seeder or origin served blob " + blake3);
  }

  private InputStream open(URI uri) throws IOException {
    HttpResponse<InputStream> response;
    try {
      response = http.send(HttpRequest.newBuilder(uri).timeout(RESPONSE_TIMEOUT).GET().build(),
          HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted fetching " + uri);
    }
    if (response.statusCode() != 200) {
      response.body().close();
      throw new IOException(uri + " answered " + response.statusCode());
    }
    return response.body();
  }
}
