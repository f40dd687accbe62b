package archy.ecash.request;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Locale;

/**
 * A NUT-18 payment request: what the payee wants ({@code a} of unit {@code u} from one of the mints {@code m}),
 * an id {@code i} to echo in the payment, and optionally how to deliver it ({@code t}) and a NUT-10 lock. Every
 * field is optional on the wire; absent fields are {@code null} here, never empty lists, so decoding and
 * re-encoding is faithful.
 *
 * <p>Encodings: {@code creqA} (NUT-18, CBOR + base64url) and {@code creqB} (NUT-26, bech32m TLV, uppercase).
 * NUT-24 wallets must read both; {@link #decode(String)} does.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PaymentRequest(
    @JsonProperty("i") String id,
    @JsonProperty("a") Long amount,
    @JsonProperty("u") String unit,
    @JsonProperty("s") Boolean singleUse,
    @JsonProperty("m") List<String> mints,
    @JsonProperty("d") String description,
    @JsonProperty("t") List<Transport> transports,
    @JsonProperty("nut10") Nut10Option nut10) {

  public PaymentRequest {
    if (amount != null && amount < 0) throw new IllegalArgumentException("payment request amount is negative");
    if (amount != null && (unit == null || unit.isEmpty())) {
      throw new IllegalArgumentException("a payment request with an amount must name its unit");
    }
    if (mints != null) mints = List.copyOf(mints);
    if (transports != null) transports = List.copyOf(transports);
  }

  /** The request an HTTP 402 carries (NUT-24): in-band delivery, so no transport. */
  public static PaymentRequest inBand(String id, long amount, String unit, List<String> mints) {
    return new PaymentRequest(id, amount, unit, null, mints, null, null, null);
  }

  public PaymentRequest withNut10(Nut10Option lock) {
    return new PaymentRequest(id, amount, unit, singleUse, mints, description, transports, lock);
  }

  public PaymentRequest withDescription(String text) {
    return new PaymentRequest(id, amount, unit, singleUse, mints, text, transports, nut10);
  }

  /**
   * Decodes {@code creqA…} (case-insensitive prefix) or a bech32m {@code creqb1…} in either case.
   *
   * @throws InvalidPaymentRequestException for anything else, or a malformed body
   */
  public static PaymentRequest decode(String encoded) throws InvalidPaymentRequestException {
    if (encoded == null) throw new InvalidPaymentRequestException("no payment request");
    String s = encoded.strip();
    if (s.regionMatches(true, 0, CreqA.PREFIX, 0, CreqA.PREFIX.length())) return CreqA.decode(s.substring(CreqA.PREFIX.length()));
    if (s.toLowerCase(Locale.ROOT).startsWith(CreqB.HRP + "1")) return CreqB.decode(s);
    throw new InvalidPaymentRequestException("not a payment request: expected creqA or creqb1");
  }

  /** {@code creqA…} (NUT-18). */
  public String encodeA() {
    return CreqA.encode(this);
  }

  /**
   * {@code CREQB1…} (NUT-26), uppercase for compact QR codes.
   *
   * @throws IllegalArgumentException when the request holds something TLV cannot carry (an unknown transport
   *     type or NUT-10 kind, a nostr target that is not an npub/nprofile, a field over 65535 bytes)
   */
  public String encodeB() {
    return CreqB.encode(this);
  }

  static List<List<String>> copyTags(List<List<String>> tags) {
    if (tags == null) return null;
    return tags.stream().map(List::copyOf).toList();
  }
}
