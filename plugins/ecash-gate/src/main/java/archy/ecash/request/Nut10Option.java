package archy.ecash.request;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The spending condition a payee asks for (NUT-18 {@code nut10}): a NUT-10 secret {@code kind} such as
 * {@code P2PK} or {@code HTLC}, its {@code data} (for P2PK the payee's public key) and optional tags.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Nut10Option(
    @JsonProperty("k") String kind,
    @JsonProperty("d") String data,
    @JsonProperty("t") List<List<String>> tags) {
  public static final String P2PK = "P2PK";
  public static final String HTLC = "HTLC";

  public Nut10Option {
    if (kind == null || kind.isEmpty()) throw new IllegalArgumentException("nut10 kind is missing");
    if (data == null) throw new IllegalArgumentException("nut10 data is missing");
    tags = PaymentRequest.copyTags(tags);
  }
}
