package archy.ecash.token;

import archy.ecash.crypto.Point;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** A NUT-00 blind signature (a "promise") {@code C_} on an output, with an optional NUT-12 {@code dleq}. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BlindSignature(
    @JsonProperty("amount") long amount,
    @JsonProperty("id") String id,
    @JsonProperty("C_") String c,
    @JsonProperty("dleq") Dleq dleq) {

  public BlindSignature {
    if (amount <= 0) throw new IllegalArgumentException("signature amount must be positive");
    id = WireChecks.keysetId(id);
    c = WireChecks.hex(c, 66, "signature C_");
  }

  public Point signature() {
    return Point.fromHex(c);
  }
}
