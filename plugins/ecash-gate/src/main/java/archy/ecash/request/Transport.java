package archy.ecash.request;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * How the payer delivers the token (NUT-18): {@code nostr} to an npub/nprofile (tags such as {@code ["n","17"]}
 * name the NIPs), or HTTP {@code post} to a URL. A request without transports expects the token in-band, as
 * the X-Cashu header of NUT-24 does.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Transport(
    @JsonProperty("t") String type,
    @JsonProperty("a") String target,
    @JsonProperty("g") List<List<String>> tags) {
  public static final String NOSTR = "nostr";
  public static final String POST = "post";

  public Transport {
    if (type == null || type.isEmpty()) throw new IllegalArgumentException("transport type is missing");
    if (target == null || target.isEmpty()) throw new IllegalArgumentException("transport target is missing");
    tags = PaymentRequest.copyTags(tags);
  }
}
