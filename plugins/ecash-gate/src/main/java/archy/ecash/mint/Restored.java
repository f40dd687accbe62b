package archy.ecash.mint;

import archy.ecash.token.BlindSignature;
import archy.ecash.token.BlindedMessage;
import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The NUT-09 answer: the outputs the mint had signed among those asked, each paired with its signature
 * ({@code outputs[i]} ↔ {@code signatures[i]}). Old nutshell versions called the second list {@code promises}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Restored(
    @JsonProperty("outputs") List<BlindedMessage> outputs,
    @JsonProperty("signatures") @JsonAlias("promises") List<BlindSignature> signatures) {
  public Restored {
    outputs = outputs == null ? List.of() : List.copyOf(outputs);
    signatures = signatures == null ? List.of() : List.copyOf(signatures);
  }
}
