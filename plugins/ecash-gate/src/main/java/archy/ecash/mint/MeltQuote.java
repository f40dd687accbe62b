package archy.ecash.mint;

import archy.ecash.token.BlindSignature;
import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A NUT-05/23 bolt11 melt quote, also the answer to the melt itself: the final {@code state}, the
 * {@code payment_preimage} once paid, and NUT-08 {@code change} (signatures on the first blank outputs, in order).
 * Inputs must cover {@code amount + fee_reserve + input fees}. Some mints answer a melt with only {@code state},
 * {@code payment_preimage} and {@code change} (as the NUT-08 example does), so every field may be absent there.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MeltQuote(
    @JsonProperty("quote") String quote,
    @JsonProperty("request") String request,
    @JsonProperty("amount") long amount,
    @JsonProperty("unit") String unit,
    @JsonProperty("fee_reserve") long feeReserve,
    @JsonProperty("state") State state,
    @JsonProperty("expiry") Long expiry,
    @JsonProperty("payment_preimage") String paymentPreimage,
    @JsonProperty("change") List<BlindSignature> change) {

  public enum State {
    UNPAID, PENDING, PAID,
    /** A state this code does not know: treat the payment as in flight, never as failed. */
    @JsonEnumDefaultValue UNKNOWN
  }

  public MeltQuote {
    if (amount < 0 || feeReserve < 0) throw new IllegalArgumentException("melt quote amounts are negative");
    change = change == null ? List.of() : List.copyOf(change);
  }

  /** This quote with {@code quote} filled in when the mint left it out of a melt answer. */
  MeltQuote withQuoteId(String id) {
    return quote != null ? this
        : new MeltQuote(id, request, amount, unit, feeReserve, state, expiry, paymentPreimage, change);
  }

  @Override
  public String toString() {
    return "MeltQuote[quote=redacted, amount=" + amount + ", unit=" + unit + ", fee_reserve=" + feeReserve
        + ", state=" + state + ", change=" + change.size() + "]";
  }
}
