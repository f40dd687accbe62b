package archy.ecash.mint;

import archy.ecash.token.BlindSignature;
import archy.ecash.token.BlindedMessage;
import archy.ecash.token.Proof;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/** The JSON bodies of the mint endpoints that have no public model of their own. */
final class Messages {
  private Messages() {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record SwapRequest(@JsonProperty("inputs") List<Proof> inputs, @JsonProperty("outputs") List<BlindedMessage> outputs) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record SignaturesResponse(@JsonProperty("signatures") List<BlindSignature> signatures) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record MintQuoteRequest(@JsonProperty("amount") long amount, @JsonProperty("unit") String unit,
                          @JsonProperty("description") String description, @JsonProperty("pubkey") String pubkey) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record MintRequest(@JsonProperty("quote") String quote, @JsonProperty("outputs") List<BlindedMessage> outputs,
                     @JsonProperty("signature") String signature) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record MeltQuoteRequest(@JsonProperty("request") String request, @JsonProperty("unit") String unit,
                          @JsonProperty("options") Map<String, Object> options) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record MeltRequest(@JsonProperty("quote") String quote, @JsonProperty("inputs") List<Proof> inputs,
                     @JsonProperty("outputs") List<BlindedMessage> outputs,
                     @JsonProperty("prefer_async") Boolean preferAsync) {}

  record CheckStateRequest(@JsonProperty("Ys") List<String> ys) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record CheckStateResponse(@JsonProperty("states") List<ProofState> states) {}

  record RestoreRequest(@JsonProperty("outputs") List<BlindedMessage> outputs) {}

  /** One keyset of {@code GET /v1/keys}: its metadata and the raw {@code amount → key} map, checked by {@code Keyset.parse}. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record KeysetKeys(@JsonProperty("id") String id, @JsonProperty("unit") String unit,
                    @JsonProperty("active") Boolean active, @JsonProperty("input_fee_ppk") Long inputFeePpk,
                    @JsonProperty("final_expiry") Long finalExpiry, @JsonProperty("keys") Map<String, String> keys) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record KeysResponse(@JsonProperty("keysets") List<KeysetKeys> keysets) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record KeysetsResponse(@JsonProperty("keysets") List<archy.ecash.keyset.KeysetInfo> keysets) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record ErrorResponse(@JsonProperty("detail") String detail, @JsonProperty("code") Integer code) {}
}
