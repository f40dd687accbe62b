package archy.ecash.keyset;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A keyset without its keys, as {@code GET /v1/keysets} lists them (NUT-02). An absent or null
 * {@code input_fee_ppk} means 0; an absent {@code final_expiry} means the keyset never expires.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record KeysetInfo(
    @JsonProperty("id") String id,
    @JsonProperty("unit") String unit,
    @JsonProperty("active") boolean active,
    @JsonProperty("input_fee_ppk") long inputFeePpk,
    @JsonProperty("final_expiry") Long finalExpiry) {

  public KeysetInfo {
    if (id == null || id.isEmpty()) throw new IllegalArgumentException("keyset id is missing");
    if (unit == null || unit.isEmpty()) throw new IllegalArgumentException("keyset unit is missing");
    if (inputFeePpk < 0) throw new IllegalArgumentException("input_fee_ppk is negative");
  }

  /** True when this keyset's id has a version this code implements (not {@code 02…} BLS, not unknown). */
  public boolean supported() {
    return KeysetVersion.isSupported(id);
  }

  /** True once {@code final_expiry} has passed: the mint no longer has to honour this keyset's proofs. */
  public boolean expired(long nowEpochSeconds) {
    return finalExpiry != null && finalExpiry != 0 && nowEpochSeconds >= finalExpiry;
  }
}
