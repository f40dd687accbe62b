package archy.ecash.devmint;

import archy.ecash.crypto.Digests;
import archy.nostr.Hex;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * NUT-19 cached responses: successful answers of the cached endpoints keyed on method, path and the exact body,
 * so a wallet that lost an answer can send the identical request again and get the same signatures instead of
 * "already spent". Switchable at run time; entries older than the advertised ttl are ignored.
 */
final class ResponseCache {
  static final List<String> ENDPOINTS = List.of("/v1/swap", "/v1/mint/bolt11", "/v1/melt/bolt11");

  private record Entry(byte[] body, Instant at) {}

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final Duration ttl;
  private final Clock clock;
  private volatile boolean enabled;

  ResponseCache(boolean enabled, Duration ttl, Clock clock) {
    this.enabled = enabled;
    this.ttl = ttl;
    this.clock = clock;
  }

  boolean enabled() {
    return enabled;
  }

  void enabled(boolean on) {
    enabled = on;
    if (!on) entries.clear();
  }

  Duration ttl() {
    return ttl;
  }

  boolean caches(String method, String path) {
    return enabled && method.equals("POST") && ENDPOINTS.contains(path);
  }

  byte[] get(String method, String path, byte[] request) {
    if (!caches(method, path)) return null;
    Entry e = entries.get(key(method, path, request));
    if (e == null || clock.instant().isAfter(e.at().plus(ttl))) return null;
    return e.body();
  }

  void put(String method, String path, byte[] request, byte[] response) {
    if (caches(method, path)) entries.put(key(method, path, request), new Entry(response, clock.instant()));
  }

  private static String key(String method, String path, byte[] body) {
    return method + " " + path + " " + Hex.encode(Digests.sha256(body));
  }
}
