package archy.ecash.wallet;

import archy.ecash.MintUrl;
import archy.ecash.keyset.InvalidKeysetException;
import archy.ecash.keyset.Keyset;
import archy.ecash.keyset.KeysetInfo;
import archy.ecash.keyset.KeysetVersion;
import archy.ecash.mint.MintClient;
import archy.ecash.mint.MintException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The allow-listed mints, one {@link MintClient} each, with their keysets cached. The keyset list is refreshed
 * after {@code keysetTtl} (mints rotate keysets and change fees); keys are cached for good, because a keyset id
 * commits to its keys ({@link Keyset#parse} checks that) so they can never change under the same id.
 */
public final class Mints {
  private record Listing(List<KeysetInfo> keysets, long fetchedMillis) {}

  private final Map<String, MintClient> clients;
  private final List<String> urls;
  private final Clock clock;
  private final Duration keysetTtl;
  private final ConcurrentHashMap<String, Listing> listings = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Keyset> keys = new ConcurrentHashMap<>();

  /** @param clientFor makes the client for a normalized mint URL */
  public Mints(Collection<String> allowList, Function<String, MintClient> clientFor, Clock clock, Duration keysetTtl) {
    Map<String, MintClient> byUrl = new LinkedHashMap<>();
    for (String url : allowList) {
      String normalized = MintUrl.normalize(url);
      byUrl.putIfAbsent(normalized, clientFor.apply(normalized));
    }
    this.clients = Map.copyOf(byUrl);
    this.urls = List.copyOf(byUrl.keySet());
    this.clock = clock;
    this.keysetTtl = keysetTtl;
  }

  /** The allow-list, normalized, in configured order. */
  public List<String> urls() {
    return urls;
  }

  /** True when {@code url} (any spelling) names an allow-listed mint. */
  public boolean allowed(String url) {
    try {
      return clients.containsKey(MintUrl.normalize(url));
    } catch (IllegalArgumentException notAUrl) {
      return false;
    }
  }

  /** @throws WalletException when the mint is not on the allow-list */
  public MintClient client(String url) throws WalletException {
    MintClient c;
    try {
      c = clients.get(MintUrl.normalize(url));
    } catch (IllegalArgumentException notAUrl) {
      c = null;
    }
    if (c == null) throw new WalletException("mint is not on the allow-list");
    return c;
  }

  /** Every keyset of the mint, including inactive and unsupported ones; cached for the TTL. */
  public List<KeysetInfo> keysets(String mint) throws MintException, WalletException {
    String url = client(mint).url();
    Listing l = listings.get(url);
    long now = clock.millis();
    if (l == null || now - l.fetchedMillis() > keysetTtl.toMillis()) {
      l = new Listing(client(url).keysets(), now);
      listings.put(url, l);
    }
    return l.keysets();
  }

  /** The keysets by id, for {@link archy.ecash.keyset.Fees#inputFee}. */
  public Map<String, KeysetInfo> keysetsById(String mint) throws MintException, WalletException {
    Map<String, KeysetInfo> byId = new LinkedHashMap<>();
    for (KeysetInfo k : keysets(mint)) byId.put(k.id(), k);
    return byId;
  }

  /** The keyset cache without network: empty when the mint's keysets were never fetched. */
  public Optional<List<KeysetInfo>> cachedKeysets(String mint) {
    try {
      return Optional.ofNullable(listings.get(MintUrl.normalize(mint))).map(Listing::keysets);
    } catch (IllegalArgumentException notAUrl) {
      return Optional.empty();
    }
  }

  /** The keys of one keyset when they were fetched before, without network (offline checks). */
  public Optional<Keyset> cachedKeyset(String keysetId) {
    return Optional.ofNullable(keys.get(keysetId));
  }

  /**
   * The keys of one keyset, fetched once.
   *
   * @throws InvalidKeysetException for an unsupported version ({@code 02…} BLS keysets are refused here)
   */
  public Keyset keyset(String mint, String keysetId) throws MintException, WalletException, InvalidKeysetException {
    KeysetVersion.of(keysetId);
    Keyset k = keys.get(keysetId);
    if (k == null) {
      k = client(mint).keyset(keysetId);
      keys.put(keysetId, k);
    }
    return k;
  }

  /**
   * The keyset new outputs go to: active, of {@code unit}, of a supported version, the cheapest to spend later.
   *
   * @throws WalletException when the mint has none
   */
  public Keyset activeKeyset(String mint, String unit) throws MintException, WalletException, InvalidKeysetException {
    KeysetInfo best = null;
    for (KeysetInfo k : keysets(mint)) {
      if (!k.active() || !k.supported() || !unit.equals(k.unit()) || k.expired(clock.instant().getEpochSecond())) continue;
      if (best == null || k.inputFeePpk() < best.inputFeePpk()) best = k;
    }
    if (best == null) throw new WalletException("the mint has no active " + unit + " keyset this wallet supports");
    return keyset(mint, best.id());
  }

  /** Drops the cached keyset list so the next call asks the mint (after a 12002 "inactive keyset"). */
  public void forgetKeysets(String mint) {
    try {
      listings.remove(MintUrl.normalize(mint));
    } catch (IllegalArgumentException notAUrl) {
      // nothing cached under a non-URL
    }
  }
}
