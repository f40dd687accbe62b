package archy.ecash.request;

import archy.ecash.token.Proof;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * What a payer sends over a NUT-18 transport (nostr DM content or POST body): the request {@code id}, an optional
 * memo, and proofs from one mint in one unit. In-band payments (X-Cashu) send a token instead.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PaymentRequestPayload(
    @JsonProperty("id") String id,
    @JsonProperty("memo") String memo,
    @JsonProperty("mint") String mint,
    @JsonProperty("unit") String unit,
    @JsonProperty("proofs") List<Proof> proofs) {
  public PaymentRequestPayload {
    if (mint == null || unit == null || proofs == null || proofs.isEmpty()) {
      throw new IllegalArgumentException("payload needs mint, unit and proofs");
    }
    proofs = List.copyOf(proofs);
  }

  @Override
  public String toString() {
    return "PaymentRequestPayload[id=" + id + ", mint=" + mint + ", unit=" + unit + ", proofs=" + proofs.size() + "]";
  }
}
