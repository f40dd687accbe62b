package archy.film;

import java.util.List;

/**
 * An unexpired kind 30081 advert: node {@code pubkey} serves the blob (or the whole film) at {@code endpoints}.
 *
 * @param satsPerMb the seeder's price, or null when it serves free
 */
public record Seeder(String pubkey, List<Endpoint> endpoints, Long satsPerMb, long expiresAt) {
  public Seeder {
    endpoints = List.copyOf(endpoints);
  }
}
