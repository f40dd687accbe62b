package archy.ecash.token;

import archy.ecash.encoding.Cbor;
import archy.nostr.Hex;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The V4 token body: CBOR with one-letter keys, hex fields as byte strings, proofs grouped by keyset id.
 * {@code d} is the memo at the top level but the DLEQ map inside a proof. Keys are written in the order of the
 * NUT-00 vectors ({@code t, d, m, u}; {@code a, s, c, d, w}) so encodings match them byte for byte.
 */
final class TokenV4 {
  private TokenV4() {}

  static byte[] encode(Token token) {
    Map<String, List<Proof>> byKeyset = new LinkedHashMap<>();
    for (Proof p : token.proofs()) byKeyset.computeIfAbsent(p.id(), k -> new ArrayList<>()).add(p);
    ObjectNode root = Cbor.map();
    ArrayNode groups = root.putArray("t");
    for (Map.Entry<String, List<Proof>> group : byKeyset.entrySet()) {
      ObjectNode g = groups.addObject();
      g.put("i", Hex.decode(group.getKey()));
      ArrayNode proofs = g.putArray("p");
      for (Proof p : group.getValue()) {
        ObjectNode proof = proofs.addObject();
        proof.put("a", p.amount());
        proof.put("s", p.secret());
        proof.put("c", Hex.decode(p.c()));
        if (p.dleq() != null) {
          ObjectNode d = proof.putObject("d");
          d.put("e", Hex.decode(p.dleq().e()));
          d.put("s", Hex.decode(p.dleq().s()));
          if (p.dleq().r() != null) d.put("r", Hex.decode(p.dleq().r()));
        }
        if (p.witness() != null) proof.put("w", p.witness());
      }
    }
    if (token.memo() != null) root.put("d", token.memo());
    root.put("m", token.mint());
    root.put("u", token.unit());
    return Cbor.write(root);
  }

  static Token decode(byte[] cbor) throws InvalidTokenException {
    JsonNode root;
    try {
      root = Cbor.read(cbor);
    } catch (IllegalArgumentException e) {
      throw new InvalidTokenException("token is not valid CBOR");
    }
    if (!root.isObject()) throw new InvalidTokenException("token body is not a CBOR map");
    String mint = text(root, "m", true);
    String unit = text(root, "u", true);
    String memo = text(root, "d", false);
    JsonNode groups = root.get("t");
    if (groups == null || !groups.isArray() || groups.isEmpty()) throw new InvalidTokenException("token has no proofs");
    List<Proof> proofs = new ArrayList<>();
    for (JsonNode group : groups) {
      if (!group.isObject()) throw new InvalidTokenException("token entry is not a map");
      String keysetId = Hex.encode(bytes(group, "i", true));
      JsonNode list = group.get("p");
      if (list == null || !list.isArray() || list.isEmpty()) throw new InvalidTokenException("token entry has no proofs");
      for (JsonNode p : list) proofs.add(proof(p, keysetId));
    }
    try {
      return new Token(mint, unit, memo, proofs);
    } catch (IllegalArgumentException e) {
      throw new InvalidTokenException(e.getMessage());
    }
  }

  private static Proof proof(JsonNode p, String keysetId) throws InvalidTokenException {
    if (!p.isObject()) throw new InvalidTokenException("proof is not a map");
    JsonNode a = p.get("a");
    if (a == null || !a.isIntegralNumber() || !a.canConvertToLong()) {
      throw new InvalidTokenException("proof amount is missing or does not fit a 64-bit signed integer");
    }
    Dleq dleq = null;
    JsonNode d = p.get("d");
    if (d != null && !d.isNull()) {
      if (!d.isObject()) throw new InvalidTokenException("proof DLEQ is not a map");
      byte[] r = bytes(d, "r", false);
      dleq = dleq(Hex.encode(bytes(d, "e", true)), Hex.encode(bytes(d, "s", true)), r == null ? null : Hex.encode(r));
    }
    try {
      return new Proof(a.longValue(), keysetId, text(p, "s", true), Hex.encode(bytes(p, "c", true)), dleq, text(p, "w", false));
    } catch (IllegalArgumentException e) {
      throw new InvalidTokenException(e.getMessage());
    }
  }

  private static Dleq dleq(String e, String s, String r) throws InvalidTokenException {
    try {
      return new Dleq(e, s, r);
    } catch (IllegalArgumentException bad) {
      throw new InvalidTokenException(bad.getMessage());
    }
  }

  private static String text(JsonNode node, String key, boolean required) throws InvalidTokenException {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      if (required) throw new InvalidTokenException("token field '" + key + "' is missing");
      return null;
    }
    if (!v.isTextual()) throw new InvalidTokenException("token field '" + key + "' must be a text string");
    return v.textValue();
  }

  private static byte[] bytes(JsonNode node, String key, boolean required) throws InvalidTokenException {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      if (required) throw new InvalidTokenException("token field '" + key + "' is missing");
      return null;
    }
    if (!v.isBinary()) throw new InvalidTokenException("token field '" + key + "' must be a byte string");
    try {
      return v.binaryValue();
    } catch (IOException e) {
      throw new InvalidTokenException("token field '" + key + "' must be a byte string");
    }
  }
}
