package archy.ecash.token;

import archy.ecash.crypto.Bdhke;
import archy.ecash.crypto.Point;
import archy.ecash.crypto.Scalar;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A NUT-00 proof (an "input"): {@code amount}, keyset {@code id}, the {@code secret} string and the mint's
 * unblinded signature {@code C} on it, with an optional NUT-12 {@code dleq} and NUT-10 {@code witness}. Whoever
 * knows the secret can spend it, so {@link #toString()} leaves it out.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Proof(
    @JsonProperty("amount") long amount,
    @JsonProperty("id") String id,
    @JsonProperty("secret") String secret,
    @JsonProperty("C") String c,
    @JsonProperty("dleq") Dleq dleq,
    @JsonProperty("witness") String witness) {

  public Proof {
    if (amount <= 0) throw new IllegalArgumentException("proof amount must be positive");
    id = WireChecks.keysetId(id);
    if (secret == null || secret.isEmpty()) throw new IllegalArgumentException("proof secret is missing");
    c = WireChecks.hex(c, 66, "proof C");
  }

  public Proof(long amount, String id, String secret, String c) {
    this(amount, id, secret, c, null, null);
  }

  /** {@code Y = hash_to_curve(UTF-8(secret))}: the proof's identity for NUT-07 state checks and replay sets. */
  public Point y() {
    return Bdhke.hashToCurve(secret);
  }

  /** {@code C} as a point. */
  public Point signature() {
    return Point.fromHex(c);
  }

  /**
   * Checks the DLEQ a sender attached (NUT-12 "Carol"): false when it is missing, has no {@code r}, is malformed,
   * or does not prove that {@code mintKey} signed this proof. Receivers MUST verify a DLEQ that is present.
   */
  public boolean dleqValid(Point mintKey) {
    if (dleq == null || dleq.r() == null) return false;
    try {
      return dleq.proof().verifyProof(mintKey, y(), signature(), Scalar.fromHex(dleq.r()));
    } catch (IllegalArgumentException malformed) {
      return false;
    }
  }

  public Proof withId(String newId) {
    return new Proof(amount, newId, secret, c, dleq, witness);
  }

  /** The proof as it goes to a mint: without the DLEQ, whose {@code r} would let the mint link it to its issuance. */
  public Proof withoutDleq() {
    return dleq == null ? this : new Proof(amount, id, secret, c, null, witness);
  }

  public Proof withWitness(String newWitness) {
    return new Proof(amount, id, secret, c, dleq, newWitness);
  }

  @Override
  public String toString() {
    return "Proof[amount=" + amount + ", id=" + id + ", secret=redacted" + (dleq == null ? "" : ", dleq")
        + (witness == null ? "" : ", witness") + "]";
  }
}
