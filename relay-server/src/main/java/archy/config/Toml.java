package archy.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Values written as they would appear in a TOML file, for messages and the declared defaults. */
final class Toml {
  private Toml() {}

  static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  static String number(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }

  static String write(JsonNode v) {
    if (v.isTextual()) return quote(v.textValue());
    if (v.isArray()) {
      List<String> items = new ArrayList<>();
      v.forEach(item -> items.add(write(item)));
      return "[" + String.join(", ", items) + "]";
    }
    if (v.isObject()) return "a table";
    if (v.isFloatingPointNumber() || v.isBigDecimal()) return number(v.doubleValue());
    return v.asText();
  }
}
