package archy.film.trust;

import archy.plugin.Verdict;
import java.time.Clock;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who may publish kind 30081 seed adverts: trusted publishers, configured federation peers and the node
 * itself; in "open" mode anyone, at most {@code perMinute} adverts per pubkey (a token bucket each).
 */
public final class AdvertGate {
  /** Above this many tracked pubkeys, full buckets are forgotten (they would allow a full burst anyway). */
  private static final int MAX_TRACKED = 50_000;

  private final PublisherTrust trust;
  private final Set<String> peers;
  private final boolean open;
  private final double perMilli;
  private final double burst;
  private final Clock clock;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  public AdvertGate(PublisherTrust trust, Set<String> peers, String nodePubkey, boolean open, int perMinute,
                    Clock clock) {
    this.trust = trust;
    this.peers = union(peers, nodePubkey);
    this.open = open;
    this.perMilli = perMinute / 60_000.0;
    this.burst = perMinute;
    this.clock = clock;
  }

  /** Whether the key may advertise at all, without spending a token. */
  public boolean isKnownAdvertiser(String pubkey) {
    return peers.contains(pubkey) || trust.isTrusted(pubkey);
  }

  public boolean isOpen() {
    return open;
  }

  /** Peers and the node key (the trusted publishers come from {@link PublisherTrust}). */
  public Set<String> peers() {
    return peers;
  }

  /** Accepts, or refuses with the NIP-01 message; in open mode spends one of the key's tokens. */
  public Verdict admit(String pubkey) {
    if (isKnownAdvertiser(pubkey)) return Verdict.accept();
    if (!open) {
      return Verdict.reject("blocked: seed adverts are accepted from trusted publishers and federation peers only");
    }
    long now = clock.millis();
    if (buckets.size() > MAX_TRACKED) buckets.values().removeIf(b -> b.isFull(now));
    Bucket bucket = buckets.computeIfAbsent(pubkey, k -> new Bucket(now));
    return bucket.take(now) ? Verdict.accept() : Verdict.reject("rate-limited: too many seed adverts from this key");
  }

  private static Set<String> union(Set<String> peers, String nodePubkey) {
    Set<String> all = new HashSet<>(peers);
    all.add(nodePubkey);
    return Set.copyOf(all);
  }

  private final class Bucket {
    private double tokens = burst;
    private long last;

    Bucket(long now) {
      last = now;
    }

    synchronized boolean take(long now) {
      refill(now);
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    }

    synchronized boolean isFull(long now) {
      refill(now);
      return tokens >= burst;
    }

    private void refill(long now) {
      tokens = Math.min(burst, tokens + Math.max(0, now - last) * perMilli);
      last = now;
    }
  }
}
