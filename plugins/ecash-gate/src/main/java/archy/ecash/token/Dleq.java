package archy.ecash.token;

import archy.ecash.crypto.DleqProof;
import archy.ecash.crypto.Scalar;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The NUT-12 {@code dleq} object: {@code e} and {@code s} on a blind signature, plus the blinding factor
 * {@code r} when carried in a proof for the receiver to check. {@code r} links a proof to its blind signature, so
 * it must never go to the mint.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Dleq(@JsonProperty("e") String e, @JsonProperty("s") String s, @JsonProperty("r") String r) {
  public Dleq {
    e = WireChecks.hex(e, 64, "dleq e");
    s = WireChecks.hex(s, 64, "dleq s");
    if (r != null) r = WireChecks.hex(r, 64, "dleq r");
  }

  public static Dleq of(DleqProof proof, Scalar r) {
    return new Dleq(proof.e().toHex(), proof.s().toHex(), r == null ? null : r.toHex());
  }

  /** @throws IllegalArgumentException when e or s is not a valid scalar */
  public DleqProof proof() {
    return DleqProof.fromHex(e, s);
  }

  /** The same proof without {@code r}, as a blind signature carries it. */
  public Dleq withoutR() {
    return r == null ? this : new Dleq(e, s, null);
  }

  @Override
  public String toString() {
    return "Dleq[e=" + e + ", s=" + s + (r == null ? "" : ", r=redacted") + "]";
  }
}
