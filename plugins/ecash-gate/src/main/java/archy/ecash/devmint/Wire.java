package archy.ecash.devmint;

import archy.ecash.mint.ProofState;
import archy.ecash.token.BlindSignature;
import archy.ecash.token.BlindedMessage;
import archy.ecash.token.Proof;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * The request bodies the dev mint reads and the answers that have no public model in {@code archy.ecash.mint}.
 * Quote answers reuse {@code MintQuote}/{@code MeltQuote}, so the client and the mint share one wire model.
 */
final class Wire {
  private Wire() {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record SwapRequest(@JsonProperty("inputs") List<Proof> inputs, @JsonProperty("outputs") List<BlindedMessage> outputs) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record MintQuoteRequest(@JsonProperty("amount") Long amount, @JsonProperty("unit") String unit,
                          @JsonProperty("description") String description, @JsonProperty("pubkey") String pubkey) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record MintRequest(@JsonProperty("quote") String quote, @JsonProperty("outputs") List<BlindedMessage> outputs,
                     @JsonProperty("signature") String signature) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record MeltQuoteRequest(@JsonProperty("request") String request, @JsonProperty("unit") String unit,
                          @JsonProperty("options") JsonNode options) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record MeltRequest(@JsonProperty("quote") String quote, @JsonProperty("inputs") List<Proof> inputs,
                     @JsonProperty("outputs") List<BlindedMessage> outputs,
                     @JsonProperty("prefer_async") Boolean preferAsync) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record CheckStateRequest(@JsonProperty("Ys") List<String> ys) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record RestoreRequest(@JsonProperty("outputs") List<BlindedMessage> outputs) {}

  record Signatures(@JsonProperty("signatures") List<BlindSignature> signatures) {}

  record States(@JsonProperty("states") List<ProofState> states) {}

  record Restored(@JsonProperty("outputs") List<BlindedMessage> outputs,
                  @JsonProperty("signatures") List<BlindSignature> signatures) {}

  record KeysetKeys(@JsonProperty("id") String id, @JsonProperty("unit") String unit,
                    @JsonProperty("active") boolean active, @JsonProperty("input_fee_ppk") long inputFeePpk,
                    @JsonProperty("final_expiry") Long finalExpiry, @JsonProperty("keys") Map<String, String> keys) {}

  record Keys(@JsonProperty("keysets") List<KeysetKeys> keysets) {}

  record Keysets(@JsonProperty("keysets") List<archy.ecash.keyset.KeysetInfo> keysets) {}

  record ErrorBody(@JsonProperty("detail") String detail, @JsonProperty("code") int code) {}
}
