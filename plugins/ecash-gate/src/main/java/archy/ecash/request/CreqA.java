package archy.ecash.request;

import archy.ecash.encoding.Base64Url;
import archy.ecash.encoding.Cbor;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * NUT-18 {@code "creqA" + base64url(CBOR)}. Keys are written in cashu-ts's order ({@code t, i, a, u, m, d, s,
 * nut10}) so our encodings match the published vectors; absent fields are omitted (cashu-ts writes CBOR
 * {@code undefined} for a missing transport {@code g}, which decoding treats as absent).
 */
final class CreqA {
  static final String PREFIX = "creqA";

  private CreqA() {}

  static String encode(PaymentRequest request) {
    ObjectNode root = Cbor.map();
    if (request.transports() != null) {
      ArrayNode ts = root.putArray("t");
      for (Transport t : request.transports()) {
        ObjectNode node = ts.addObject();
        node.put("t", t.type());
        node.put("a", t.target());
        if (t.tags() != null) putTags(node, "g", t.tags());
      }
    }
    if (request.id() != null) root.put("i", request.id());
    if (request.amount() != null) root.put("a", request.amount());
    if (request.unit() != null) root.put("u", request.unit());
    if (request.mints() != null) {
      ArrayNode ms = root.putArray("m");
      request.mints().forEach(ms::add);
    }
    if (request.description() != null) root.put("d", request.description());
    if (request.singleUse() != null) root.put("s", request.singleUse());
    if (request.nut10() != null) {
      ObjectNode n = root.putObject("nut10");
      n.put("k", request.nut10().kind());
      n.put("d", request.nut10().data());
      if (request.nut10().tags() != null) putTags(n, "t", request.nut10().tags());
    }
    return PREFIX + Base64Url.encode(Cbor.write(root));
  }

  private static void putTags(ObjectNode node, String key, List<List<String>> tags) {
    ArrayNode out = node.putArray(key);
    for (List<String> tag : tags) {
      ArrayNode t = out.addArray();
      tag.forEach(t::add);
    }
  }

  static PaymentRequest decode(String payload) throws InvalidPaymentRequestException {
    JsonNode root;
    try {
      root = Cbor.read(Base64Url.decode(payload));
    } catch (IllegalArgumentException e) {
      throw new InvalidPaymentRequestException("creqA is not base64url CBOR");
    }
    if (!root.isObject()) throw new InvalidPaymentRequestException("creqA body is not a CBOR map");
    try {
      return new PaymentRequest(text(root, "i"), amount(root), text(root, "u"), bool(root, "s"), strings(root, "m"),
          text(root, "d"), transports(root.get("t")), nut10(root.get("nut10")));
    } catch (IllegalArgumentException e) {
      throw new InvalidPaymentRequestException(e.getMessage());
    }
  }

  private static List<Transport> transports(JsonNode node) throws InvalidPaymentRequestException {
    if (absent(node)) return null;
    if (!node.isArray()) throw new InvalidPaymentRequestException("'t' must be an array");
    List<Transport> out = new ArrayList<>();
    for (JsonNode t : node) {
      if (!t.isObject()) throw new InvalidPaymentRequestException("a transport must be a map");
      out.add(new Transport(text(t, "t"), text(t, "a"), tags(t.get("g"))));
    }
    return out;
  }

  private static Nut10Option nut10(JsonNode node) throws InvalidPaymentRequestException {
    if (absent(node)) return null;
    if (!node.isObject()) throw new InvalidPaymentRequestException("'nut10' must be a map");
    return new Nut10Option(text(node, "k"), text(node, "d"), tags(node.get("t")));
  }

  private static List<List<String>> tags(JsonNode node) throws InvalidPaymentRequestException {
    if (absent(node)) return null;
    if (!node.isArray()) throw new InvalidPaymentRequestException("tags must be an array of arrays");
    List<List<String>> out = new ArrayList<>();
    for (JsonNode tag : node) {
      if (!tag.isArray()) throw new InvalidPaymentRequestException("tags must be an array of arrays");
      List<String> values = new ArrayList<>();
      for (JsonNode v : tag) {
        if (!v.isTextual()) throw new InvalidPaymentRequestException("tag values must be text");
        values.add(v.textValue());
      }
      out.add(values);
    }
    return out;
  }

  private static List<String> strings(JsonNode root, String key) throws InvalidPaymentRequestException {
    JsonNode node = root.get(key);
    if (absent(node)) return null;
    if (!node.isArray()) throw new InvalidPaymentRequestException("'" + key + "' must be an array");
    List<String> out = new ArrayList<>();
    for (JsonNode v : node) {
      if (!v.isTextual()) throw new InvalidPaymentRequestException("'" + key + "' must hold text");
      out.add(v.textValue());
    }
    return out;
  }

  private static String text(JsonNode node, String key) throws InvalidPaymentRequestException {
    JsonNode v = node.get(key);
    if (absent(v)) return null;
    if (!v.isTextual()) throw new InvalidPaymentRequestException("'" + key + "' must be text");
    return v.textValue();
  }

  private static Long amount(JsonNode root) throws InvalidPaymentRequestException {
    JsonNode v = root.get("a");
    if (absent(v)) return null;
    if (!v.isIntegralNumber() || !v.canConvertToLong()) throw new InvalidPaymentRequestException("'a' must be an integer");
    return v.longValue();
  }

  private static Boolean bool(JsonNode root, String key) throws InvalidPaymentRequestException {
    JsonNode v = root.get(key);
    if (absent(v)) return null;
    if (!v.isBoolean()) throw new InvalidPaymentRequestException("'" + key + "' must be a boolean");
    return v.booleanValue();
  }

  private static boolean absent(JsonNode v) {
    return v == null || v.isNull() || v.isMissingNode();
  }
}
