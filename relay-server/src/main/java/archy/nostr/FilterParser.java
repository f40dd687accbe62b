package archy.nostr;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/** Turns a REQ/COUNT filter object into a {@link Filter}, refusing shapes NIP-01 does not allow. */
public final class FilterParser {
  private final int maxValuesPerField;

  public FilterParser(int maxValuesPerField) {
    this.maxValuesPerField = maxValuesPerField;
  }

  public Filter parse(JsonNode node) throws InvalidFilterException {
    if (!node.isObject()) throw new InvalidFilterException("filter must be an object");
    Set<String> ids = Set.of(), authors = Set.of();
    Set<Integer> kinds = Set.of();
    Map<String, Set<String>> tags = new HashMap<>();
    Long since = null, until = null;
    Integer limit = null;
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String name = field.getKey();
      JsonNode value = field.getValue();
      switch (name) {
        case "ids" -> ids = hexSet(value, name);
        case "authors" -> authors = hexSet(value, name);
        case "kinds" -> kinds = kindSet(value);
        case "since" -> since = timestamp(value, name);
        case "until" -> until = timestamp(value, name);
        case "limit" -> {
          long l = timestamp(value, name);
          limit = (int) Math.min(l, Integer.MAX_VALUE);
        }
        default -> {
          if (name.length() == 2 && name.charAt(0) == '#' && Character.isLetter(name.charAt(1))) {
            tags.put(name.substring(1), stringSet(value, name));
          } else if (!name.equals("search")) {
            throw new InvalidFilterException("unsupported filter field " + name);
          }
        }
      }
    }
    return new Filter(ids, authors, kinds, tags, since, until, limit);
  }

  private Set<String> hexSet(JsonNode value, String field) throws InvalidFilterException {
    Set<String> out = stringSet(value, field);
    for (String s : out) {
      if (!Hex.isLowerHex(s, 64)) throw new InvalidFilterException(field + " must hold 64-character lowercase hex");
    }
    return out;
  }

  private Set<String> stringSet(JsonNode value, String field) throws InvalidFilterException {
    if (!value.isArray()) throw new InvalidFilterException(field + " must be an array");
    if (value.size() > maxValuesPerField) {
      throw new InvalidFilterException(field + " has more than " + maxValuesPerField + " values");
    }
    Set<String> out = new HashSet<>();
    for (JsonNode v : value) {
      if (!v.isTextual()) throw new InvalidFilterException(field + " must hold strings");
      out.add(v.asText());
    }
    return out;
  }

  private Set<Integer> kindSet(JsonNode value) throws InvalidFilterException {
    if (!value.isArray()) throw new InvalidFilterException("kinds must be an array");
    if (value.size() > maxValuesPerField) {
      throw new InvalidFilterException("kinds has more than " + maxValuesPerField + " values");
    }
    Set<Integer> out = new HashSet<>();
    for (JsonNode v : value) {
      if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 0 || v.asInt() > 65535) {
        throw new InvalidFilterException("kinds must hold integers between 0 and 65535");
      }
      out.add(v.asInt());
    }
    return out;
  }

  private static long timestamp(JsonNode value, String field) throws InvalidFilterException {
    if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < 0) {
      throw new InvalidFilterException(field + " must be a non-negative integer");
    }
    return value.asLong();
  }
}
