package archy.ecash.token;

import archy.ecash.encoding.Json;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The deprecated V3 token body: JSON {@code {"token":[{"mint","proofs"}],"unit","memo"}}. V3 allowed several
 * mints in one token; a {@link Token} holds one, so entries for different mints are refused rather than split
 * silently. A missing unit means {@code sat}, the only unit V3 wallets produced.
 */
final class TokenV3 {
  private TokenV3() {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Body(@JsonProperty("token") List<Entry> token, @JsonProperty("unit") String unit,
              @JsonProperty("memo") String memo) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record Entry(@JsonProperty("mint") String mint, @JsonProperty("proofs") List<Proof> proofs) {}

  static byte[] encode(Token token) {
    try {
      return Json.mapper().writeValueAsBytes(
          new Body(List.of(new Entry(token.mint(), token.proofs())), token.unit(), token.memo()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("records always serialize", e);
    }
  }

  static Token decode(byte[] json) throws InvalidTokenException {
    Body body;
    try {
      body = Json.mapper().readValue(json, Body.class);
    } catch (IOException | IllegalArgumentException e) {
      // A record constructor's complaint (say, a malformed C) is more useful than Jackson's wrapper.
      Throwable reason = e.getCause() instanceof IllegalArgumentException iae ? iae : null;
      throw new InvalidTokenException("token is not valid V3 JSON" + (reason == null ? "" : ": " + reason.getMessage()));
    }
    if (body == null || body.token() == null || body.token().isEmpty()) throw new InvalidTokenException("token has no proofs");
    String mint = null;
    List<Proof> proofs = new ArrayList<>();
    for (Entry e : body.token()) {
      if (e == null || e.mint() == null || e.proofs() == null) throw new InvalidTokenException("token entry lacks mint or proofs");
      String m = stripSlashes(e.mint());
      if (mint != null && !mint.equals(m)) throw new InvalidTokenException("V3 tokens from several mints are not supported");
      mint = m;
      for (Proof p : e.proofs()) {
        if (p == null) throw new InvalidTokenException("token contains a null proof");
        proofs.add(p);
      }
    }
    try {
      return new Token(mint, body.unit() == null ? "sat" : body.unit(), body.memo(), proofs);
    } catch (IllegalArgumentException e) {
      throw new InvalidTokenException(e.getMessage());
    }
  }

  private static String stripSlashes(String url) {
    int end = url.length();
    while (end > 0 && url.charAt(end - 1) == '/') end--;
    return url.substring(0, end);
  }
}
