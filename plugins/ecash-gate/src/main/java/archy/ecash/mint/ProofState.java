package archy.ecash.mint;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** One NUT-07 answer: the state of the proof whose {@code Y = hash_to_curve(secret)} was asked, and its spending witness. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ProofState(
    @JsonProperty("Y") String y,
    @JsonProperty("state") State state,
    @JsonProperty("witness") String witness) {

  public enum State {
    UNSPENT, PENDING, SPENT,
    /** A state this code does not know: neither spendable nor safely discardable. */
    @JsonEnumDefaultValue UNKNOWN
  }

  public ProofState {
    if (y == null || state == null) throw new IllegalArgumentException("proof state needs Y and state");
  }
}
