package archy.ecash.mint;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A NUT-04/23 bolt11 mint quote. {@code quote} is a bearer secret until issued (whoever knows it can mint the paid
 * ecash unless NUT-20 locks it), so {@link #toString()} hides it. Newer mints also report
 * {@code amount_paid}/{@code amount_issued}/{@code updated_at} (cashubtc/nuts PR #377) and deprecate
 * {@code state}; {@link #mintable()} reads whichever is there.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MintQuote(
    @JsonProperty("quote") String quote,
    @JsonProperty("request") String request,
    @JsonProperty("amount") Long amount,
    @JsonProperty("unit") String unit,
    @JsonProperty("state") State state,
    @JsonProperty("expiry") Long expiry,
    @JsonProperty("pubkey") String pubkey,
    @JsonProperty("amount_paid") Long amountPaid,
    @JsonProperty("amount_issued") Long amountIssued,
    @JsonProperty("updated_at") Long updatedAt) {

  public enum State {
    UNPAID, PAID, ISSUED,
    /** A state this code does not know; treat as "not yet mintable". */
    @JsonEnumDefaultValue UNKNOWN
  }

  public MintQuote {
    if (quote == null || quote.isEmpty()) throw new IllegalArgumentException("mint quote id is missing");
    if (request == null) throw new IllegalArgumentException("mint quote request is missing");
  }

  /** What can be minted now: {@code amount_paid − amount_issued} when reported, else the amount when PAID. */
  public long mintable() {
    if (amountPaid != null && amountIssued != null) return Math.max(0, amountPaid - amountIssued);
    return state == State.PAID && amount != null ? amount : 0;
  }

  @Override
  public String toString() {
    return "MintQuote[quote=redacted, amount=" + amount + ", unit=" + unit + ", state=" + state + ", expiry=" + expiry
        + (amountPaid == null ? "" : ", paid=" + amountPaid + ", issued=" + amountIssued) + "]";
  }
}
