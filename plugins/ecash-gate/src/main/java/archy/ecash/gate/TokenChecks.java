package archy.ecash.gate;

import archy.ecash.crypto.Point;
import archy.ecash.keyset.InvalidKeysetException;
import archy.ecash.keyset.Keyset;
import archy.ecash.keyset.KeysetInfo;
import archy.ecash.mint.MintException;
import archy.ecash.token.InvalidTokenException;
import archy.ecash.token.Proof;
import archy.ecash.token.Token;
import archy.ecash.wallet.Mints;
import archy.ecash.wallet.WalletException;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The checks of reference/cashu.md §6 that need the mint's keysets (the offline ones run in {@link Redeemer}
 * first): short keyset ids resolved against the issuing mint's keysets (ambiguous, unknown and {@code 02…} BLS
 * ids refused), no expired keyset, every amount a denomination of its keyset, and every DLEQ that can be checked
 * verified (NUT-12: a receiver MUST verify a DLEQ that is present; one without its {@code r} cannot be checked by
 * a receiver and counts as absent). None of this proves the proofs unspent: only the swap does.
 */
final class TokenChecks {
  private final Mints mints;
  private final Clock clock;

  TokenChecks(Mints mints, Clock clock) {
    this.mints = mints;
    this.clock = clock;
  }

  /** The token with full keyset ids, once every check passed. */
  Token verify(Token token) throws TokenRefusal, MintException, WalletException {
    Map<String, KeysetInfo> byId = mints.keysetsById(token.mint());
    Token resolved;
    try {
      resolved = token.resolveKeysetIds(byId.keySet());
    } catch (InvalidTokenException stale) {
      // a keyset the cache has not seen may be one the mint made since (a rotation): ask it once before refusing
      mints.forgetKeysets(token.mint());
      byId = mints.keysetsById(token.mint());
      try {
        resolved = token.resolveKeysetIds(byId.keySet());
      } catch (InvalidTokenException e) {
        throw new TokenRefusal(e.getMessage());
      }
    }
    long now = clock.instant().getEpochSecond();
    for (Proof p : resolved.proofs()) {
      KeysetInfo info = byId.get(p.id());
      if (info.expired(now)) throw new TokenRefusal("keyset " + p.id() + " has expired");
      if (!token.unit().equals(info.unit())) throw new TokenRefusal("a proof's keyset is not in " + token.unit());
      Optional<Point> key = keys(resolved.mint(), p.id()).key(p.amount());
      if (key.isEmpty()) throw new TokenRefusal("amount " + p.amount() + " is not a denomination of keyset " + p.id());
      if (p.dleq() != null && p.dleq().r() != null && !p.dleqValid(key.get())) {
        throw new TokenRefusal("a DLEQ proof does not verify: these proofs were not signed by the mint's keys");
      }
    }
    return resolved;
  }

  /**
   * With the mint unreachable ({@code fail_open}): the reason the token cannot be trusted on offline evidence, or
   * empty when it can. Offline evidence is the mint's keysets and keys cached from an earlier contact, each proof's
   * keyset among them (of the token's unit, not expired), each amount a denomination of it, and a NUT-12 DLEQ
   * proof with its {@code r} on <em>every</em> proof that verifies against the mint's key: that proves the mint
   * signed the proof, though not that it is unspent. A proof without DLEQ proves nothing offline (its {@code C}
   * may be any point, the generator for one), so such a token waits for the mint.
   *
   * @throws TokenRefusal when the evidence shows the token is bad (a DLEQ that fails, an amount the keyset lacks)
   */
  Optional<String> uncheckableOffline(Token token) throws TokenRefusal {
    Optional<List<KeysetInfo>> cached = mints.cachedKeysets(token.mint());
    if (cached.isEmpty()) return Optional.of("the mint's keysets are not known here yet");
    Map<String, KeysetInfo> byId = new HashMap<>();
    for (KeysetInfo k : cached.get()) byId.put(k.id(), k);
    Token resolved;
    try {
      resolved = token.resolveKeysetIds(byId.keySet());
    } catch (InvalidTokenException e) {
      return Optional.of("a proof's keyset is not known here");
    }
    long now = clock.instant().getEpochSecond();
    for (Proof p : resolved.proofs()) {
      KeysetInfo info = byId.get(p.id());
      if (info.expired(now)) throw new TokenRefusal("keyset " + p.id() + " has expired");
      if (!token.unit().equals(info.unit())) throw new TokenRefusal("a proof's keyset is not in " + token.unit());
      Optional<Keyset> keys = mints.cachedKeyset(p.id());
      if (keys.isEmpty()) return Optional.of("the keys of keyset " + p.id() + " are not known here");
      Optional<Point> key = keys.get().key(p.amount());
      if (key.isEmpty()) throw new TokenRefusal("amount " + p.amount() + " is not a denomination of keyset " + p.id());
      if (p.dleq() == null || p.dleq().r() == null) return Optional.of("a proof carries no DLEQ proof");
      if (!p.dleqValid(key.get())) {
        throw new TokenRefusal("a DLEQ proof does not verify: these proofs were not signed by the mint's keys");
      }
    }
    return Optional.empty();
  }

  private Keyset keys(String mint, String keysetId) throws TokenRefusal, MintException, WalletException {
    try {
      return mints.keyset(mint, keysetId);
    } catch (InvalidKeysetException e) {
      throw new TokenRefusal(e.getMessage());
    }
  }
}
