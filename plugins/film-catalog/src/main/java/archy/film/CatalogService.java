package archy.film;

import archy.film.index.CatalogReader;
import archy.film.trust.PublisherTrust;
import archy.nostr.Hex;
import archy.plugin.BlobInfo;
import archy.plugin.Blobs;
import archy.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** {@link FilmCatalog} over the plugin's tables. Database failures surface as {@link StoreException}. */
final class CatalogService implements FilmCatalog {
  private final CatalogReader reader;
  private final DataSource dataSource;
  private final PublisherTrust trust;
  private final List<String> origins;
  private final Blobs blobs;
  private final Clock clock;

  CatalogService(CatalogReader reader, DataSource dataSource, PublisherTrust trust, List<String> origins, Blobs blobs,
                 Clock clock) {
    this.reader = reader;
    this.blobs = blobs;
    this.dataSource = dataSource;
    this.trust = trust;
    this.origins = List.copyOf(origins);
    this.clock = clock;
  }

  private interface Read<T> {
    T run() throws SQLException;
  }

  private static <T> T read(String what, Read<T> read) {
    try {
      return read.run();
    } catch (SQLException e) {
      throw new StoreException("film catalog: " + what + " failed", e);
    }
  }

  @Override
  public List<CatalogFilm> filmsContaining(String sha256, String blake3) {
    String sha = Hex.isLowerHex(sha256, 64) ? sha256 : null;
    String b3 = Hex.isLowerHex(blake3, 64) ? blake3 : null;
    if (sha == null && b3 == null) return List.of();
    // A blob held here carries both hashes, whether or not the catalog was told the pair.
    if (sha == null || b3 == null) {
      Optional<BlobInfo> held = sha != null ? blobs.bySha256(sha) : blobs.byBlake3(b3);
      if (held.isPresent()) {
        sha = held.get().sha256();
        b3 = held.get().blake3();
      }
    }
    String s = sha, b = b3;
    return read("films with blob", () -> reader.filmsContaining(s, b));
  }

  @Override
  public Optional<String> blake3ForSha256(String sha256) {
    if (!Hex.isLowerHex(sha256, 64)) return Optional.empty();
    Optional<String> known = read("sha256 lookup", () -> reader.blake3ForSha256(sha256));
    // A blob held here carries both hashes: no need to have been told the pair.
    return known.isPresent() ? known : blobs.bySha256(sha256).map(BlobInfo::blake3);
  }

  @Override
  public Optional<String> sha256ForBlake3(String blake3) {
    if (!Hex.isLowerHex(blake3, 64)) return Optional.empty();
    Optional<String> known = read("blake3 lookup", () -> reader.sha256ForBlake3(blake3));
    return known.isPresent() ? known : blobs.byBlake3(blake3).map(BlobInfo::sha256);
  }

  @Override
  public Optional<CatalogFilm> film(String pubkey, String d) {
    return read("film lookup", () -> reader.film(pubkey, d));
  }

  @Override
  public List<FilmBlob> blobSet(String pubkey, String d) {
    return read("film blobs", () -> reader.blobSet(pubkey, d));
  }

  @Override
  public List<Seeder> seeders(String sha256, String blake3) {
    String sha = Hex.isLowerHex(sha256, 64) ? sha256 : null;
    String b3 = Hex.isLowerHex(blake3, 64) ? blake3 : null;
    if (sha == null && b3 == null) return List.of();
    return read("seeders", () -> reader.seeders(sha, b3, clock.instant().getEpochSecond()));
  }

  @Override
  public List<CatalogFilm> monetizedFilms(int limit) {
    return read("monetized films", () -> reader.monetizedFilms(limit));
  }

  @Override
  public List<String> originServers() {
    return origins;
  }

  @Override
  public boolean isTrustedPublisher(String pubkey) {
    return trust.isTrusted(pubkey);
  }

  @Override
  public void learnSha256(String blake3, String sha256) {
    if (!Hex.isLowerHex(blake3, 64) || !Hex.isLowerHex(sha256, 64)) {
      throw new IllegalArgumentException("hashes must be 64 lowercase hex characters");
    }
    read("learning a sha256", () -> {
      try (Connection c = dataSource.getConnection();
           PreparedStatement ps = c.prepareStatement(
               "INSERT INTO film_catalog_sha256 (sha256, blake3) VALUES (?, ?) ON CONFLICT (sha256) DO NOTHING")) {
        ps.setString(1, sha256);
        ps.setString(2, blake3);
        return ps.executeUpdate();
      }
    });
  }
}
