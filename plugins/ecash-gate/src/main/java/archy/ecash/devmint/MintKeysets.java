package archy.ecash.devmint;

import archy.ecash.crypto.Bdhke;
import archy.ecash.crypto.Digests;
import archy.ecash.crypto.DleqProof;
import archy.ecash.crypto.Point;
import archy.ecash.crypto.Scalar;
import archy.ecash.keyset.Fees;
import archy.ecash.keyset.Keyset;
import archy.ecash.keyset.KeysetId;
import archy.ecash.keyset.KeysetInfo;
import archy.ecash.mint.NutError;
import archy.ecash.token.BlindSignature;
import archy.ecash.token.BlindedMessage;
import archy.ecash.token.Dleq;
import archy.ecash.token.Proof;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The mint's keysets with their private keys, and the two cryptographic duties that need them: checking that
 * inputs carry the mint's signature and signing outputs (NUT-00), each signature with a NUT-12 DLEQ proof made
 * with the deterministic nonce. Keys derive from the mint's seed and the keyset's index,
 * {@code k = SHA256(seed || index || amount) mod n}, so a mint of the same name has the same keys on every start.
 *
 * <p>Exactly one keyset is active (outputs are signed only by it); older ones stay valid as inputs until their
 * {@code final_expiry}. Ids are NUT-02 v2.
 */
final class MintKeysets {
  /** Denominations 2^0 … 2^31: enough for any test, and a keyset JSON small enough to read. */
  private static final int DENOMINATIONS = 32;

  record Entry(Keyset keyset, Map<Long, Scalar> privateKeys) {
    KeysetInfo info() {
      return keyset.info();
    }
  }

  /** Inputs that passed every check: their {@code Y}s (hex, for the ledger), total amount and input fee. */
  record VerifiedInputs(List<String> ys, long amount, long fee) {}

  private final byte[] seed;
  private final String unit;
  private final Clock clock;
  private final Map<String, Entry> byId = new LinkedHashMap<>(); // guarded by this
  private volatile Entry active;

  MintKeysets(byte[] seed, String unit, long inputFeePpk, Clock clock) {
    this.seed = seed.clone();
    this.unit = unit;
    this.clock = clock;
    rotate(inputFeePpk, null);
  }

  /** Makes a new keyset the active one; the previous one stays usable for inputs. */
  synchronized KeysetInfo rotate(long inputFeePpk, Long finalExpiry) {
    int index = byId.size();
    Map<Long, Scalar> priv = new HashMap<>();
    SortedMap<BigInteger, Point> pub = new TreeMap<>();
    for (int i = 0; i < DENOMINATIONS; i++) {
      long amount = 1L << i;
      byte[] material = ByteBuffer.allocate(seed.length + 12).put(seed).putInt(index).putLong(amount).array();
      Scalar k = Scalar.reduce(Digests.sha256(material));
      priv.put(amount, k);
      pub.put(BigInteger.valueOf(amount), k.publicKey());
    }
    String id = KeysetId.deriveV2(pub, unit, inputFeePpk, finalExpiry);
    Entry entry = new Entry(new Keyset(id, unit, true, inputFeePpk, finalExpiry, pub), Map.copyOf(priv));
    if (active != null) {
      Keyset old = active.keyset();
      byId.put(old.id(), new Entry(new Keyset(old.id(), old.unit(), false, old.inputFeePpk(), old.finalExpiry(),
          old.keys()), active.privateKeys()));
    }
    byId.put(id, entry);
    active = entry;
    return entry.info();
  }

  Entry active() {
    return active;
  }

  synchronized List<Entry> all() {
    return List.copyOf(byId.values());
  }

  synchronized Entry get(String id) {
    return byId.get(id);
  }

  /**
   * NUT-00/02/03 checks on inputs, in the order mints apply them: count, keyset known (12001) and not expired
   * (12003), amount in the keyset and {@code k·Y == C} (10001), no proof twice (11007).
   */
  VerifiedInputs verifyInputs(List<Proof> inputs, int max) throws MintError {
    if (inputs == null || inputs.isEmpty()) throw MintError.bad("no inputs");
    if (inputs.size() > max) throw MintError.of(NutError.MAX_INPUTS_EXCEEDED);
    List<String> ys = new ArrayList<>(inputs.size());
    Map<String, KeysetInfo> keysets = new HashMap<>();
    long amount = 0;
    for (Proof p : inputs) {
      Entry e = get(p.id());
      if (e == null) throw MintError.of(NutError.KEYSET_UNKNOWN, "keyset " + p.id() + " is not known");
      if (e.info().expired(clock.instant().getEpochSecond())) throw MintError.of(NutError.KEYSET_EXPIRED);
      Scalar k = e.privateKeys().get(p.amount());
      if (k == null) throw MintError.of(NutError.PROOF_VERIFICATION_FAILED, "amount not in keyset");
      Point y = p.y();
      Point c;
      try {
        c = p.signature();
      } catch (IllegalArgumentException notAPoint) {
        throw MintError.of(NutError.PROOF_VERIFICATION_FAILED);
      }
      if (!y.multiply(k).equals(c)) throw MintError.of(NutError.PROOF_VERIFICATION_FAILED);
      ys.add(y.toHex());
      keysets.put(e.keyset().id(), e.info());
      amount = Math.addExact(amount, p.amount());
    }
    if (new HashSet<>(ys).size() != ys.size()) throw MintError.of(NutError.DUPLICATE_INPUTS);
    long fee = Fees.inputFee(inputs.stream().map(Proof::id).toList(), keysets);
    return new VerifiedInputs(List.copyOf(ys), amount, fee);
  }

  /**
   * Checks outputs before signing: count (11015), keyset known (12001) and active (12002), {@code B_} a point,
   * amount in the keyset (unless {@code blank}: NUT-08 blank outputs get their amount from the mint), no
   * {@code B_} twice (11008).
   */
  void checkOutputs(List<BlindedMessage> outputs, int max, boolean blank) throws MintError {
    if (outputs.size() > max) throw MintError.of(NutError.MAX_OUTPUTS_EXCEEDED);
    Set<String> seen = new HashSet<>();
    for (BlindedMessage o : outputs) {
      Entry e = get(o.id());
      if (e == null) throw MintError.of(NutError.KEYSET_UNKNOWN, "keyset " + o.id() + " is not known");
      if (e != active) throw MintError.of(NutError.KEYSET_INACTIVE);
      try {
        o.blinded();
      } catch (IllegalArgumentException notAPoint) {
        throw MintError.bad("an output's B_ is not a point");
      }
      if (!blank && !e.privateKeys().containsKey(o.amount())) throw MintError.bad("output amount not in keyset");
      if (!seen.add(o.b())) throw MintError.of(NutError.DUPLICATE_OUTPUTS);
    }
  }

  /** Signs checked outputs with their own amounts. */
  List<BlindSignature> sign(List<BlindedMessage> outputs) {
    List<BlindSignature> out = new ArrayList<>(outputs.size());
    for (BlindedMessage o : outputs) out.add(sign(o, o.amount()));
    return out;
  }

  /** {@code C_ = k·B_} with its DLEQ proof, for {@code amount} (a blank output's amount is the mint's choice). */
  BlindSignature sign(BlindedMessage output, long amount) {
    Entry e = get(output.id());
    Scalar k = e.privateKeys().get(amount);
    Point blinded = output.blinded();
    Point c = Bdhke.sign(blinded, k);
    return new BlindSignature(amount, output.id(), c.toHex(), Dleq.of(DleqProof.create(k, blinded, c), null));
  }

  /** {@code amount} in the active keyset's denominations, ascending (as NUT-08 change is imprinted). */
  List<Long> split(long amount) {
    return amount <= 0 ? List.of() : active.keyset().split(amount);
  }
}
