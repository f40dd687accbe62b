package archy.ecash.token;

import archy.ecash.crypto.Point;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A NUT-00 blinded message (an "output"): the {@code amount} asked for, the keyset {@code id} to sign with and
 * the blinded point {@code B_}. NUT-08 blank outputs carry a placeholder amount the mint overwrites.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BlindedMessage(
    @JsonProperty("amount") long amount,
    @JsonProperty("id") String id,
    @JsonProperty("B_") String b) {

  public BlindedMessage {
    if (amount < 0) throw new IllegalArgumentException("output amount is negative");
    id = WireChecks.keysetId(id);
    b = WireChecks.hex(b, 66, "output B_");
  }

  public Point blinded() {
    return Point.fromHex(b);
  }
}
