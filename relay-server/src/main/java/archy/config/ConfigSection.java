package archy.config;

import archy.nostr.Keys;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One TOML table as a config reader sees it. Every accessor both reads a key and declares it, so the reader is the
 * one place a key is defined: the keys the host's {@link ConfigLoader} and each plugin's reader ask for are exactly
 * the keys the node accepts. Once everyone has read its sections from one {@link #root}, {@link #unknownKeys()}
 * names whatever nobody asked for ({@code [blosom]}, {@code film-catalog.trusted_publisher}) with the nearest
 * declared name, and {@link #declared()} lists every key with its default, which the tests compare with
 * docs/configuration.md and archy.example.toml.
 *
 * <p>A reader must ask for every key it knows whatever the file holds (never a key read only when another is
 * set), or that key would be refused. A bad value stops reading with a {@link ConfigException} naming the key by
 * its full path and what is allowed.
 */
public final class ConfigSection {
  /**
   * A declared key or section: its full path ({@code film-catalog.untrusted}), its default as TOML writes it
   * (null when it has none to write, e.g. a default derived from other keys) and the value read (null when absent).
   */
  public record Key(String path, boolean section, String defaultToml, String valueToml) {}

  private final String path;
  private final JsonNode table;
  private final boolean freeForm;
  private final Map<String, Key> keys = new LinkedHashMap<>();
  private final Map<String, ConfigSection> sections = new LinkedHashMap<>();

  private ConfigSection(String path, JsonNode table, boolean freeForm) {
    this.path = path;
    this.table = table == null || table.isNull() ? MissingNode.getInstance() : table;
    this.freeForm = freeForm;
  }

  /** The whole file. */
  public static ConfigSection root(JsonNode file) {
    return new ConfigSection("", file, false);
  }

  /** A section read on its own, e.g. a plugin's {@code ctx.config()} at install: {@code of("film-catalog", node)}. */
  public static ConfigSection of(String path, JsonNode table) {
    return new ConfigSection(path, table, false);
  }

  public String path() {
    return path;
  }

  /** The table as parsed (an empty object when absent), for {@link Config#section}. */
  ObjectNode json() {
    return table.isObject() ? (ObjectNode) table : JsonNodeFactory.instance.objectNode();
  }

  public String text(String key, String dflt) {
    JsonNode v = value(key, dflt == null ? null : Toml.quote(dflt));
    if (v == null) return dflt;
    if (!v.isTextual()) throw wrong(key, "a string", v);
    return v.textValue();
  }

  /** One of {@code allowed} (any letter case in the file; returned as spelled in {@code allowed}). */
  public String choice(String key, String dflt, String... allowed) {
    String v = text(key, dflt);
    for (String a : allowed) if (a.equalsIgnoreCase(v)) return a;
    List<String> quoted = new ArrayList<>();
    for (String a : allowed) quoted.add(Toml.quote(a));
    throw new ConfigException(pathOf(key) + " must be " + String.join(" or ", quoted) + ", got " + Toml.quote(v));
  }

  public boolean bool(String key, boolean dflt) {
    JsonNode v = value(key, Boolean.toString(dflt));
    if (v == null) return dflt;
    if (!v.isBoolean()) throw wrong(key, "true or false", v);
    return v.booleanValue();
  }

  public int integer(String key, int dflt, int min) {
    JsonNode v = value(key, Integer.toString(dflt));
    return v == null ? dflt : (int) whole(key, v, min, Integer.MAX_VALUE);
  }

  public long longInteger(String key, long dflt, long min) {
    JsonNode v = value(key, Long.toString(dflt));
    return v == null ? dflt : whole(key, v, min, Long.MAX_VALUE);
  }

  /** A whole number without a default: null when absent. */
  public Long optionalLong(String key, long min) {
    JsonNode v = value(key, null);
    return v == null ? null : whole(key, v, min, Long.MAX_VALUE);
  }

  /** A number greater than {@code above}. */
  public double number(String key, double dflt, double above) {
    JsonNode v = value(key, Toml.number(dflt));
    if (v == null) return dflt;
    if (!v.isNumber() || v.doubleValue() <= above) throw wrong(key, "a number above " + Toml.number(above), v);
    return v.doubleValue();
  }

  /** A list of whole numbers from {@code min} to {@code max}; empty when absent. */
  public List<Integer> integers(String key, int min, int max) {
    JsonNode v = value(key, "[]");
    if (v == null) return List.of();
    List<Integer> out = new ArrayList<>();
    String allowed = "a list of whole numbers from " + min + " to " + max;
    if (!v.isArray()) throw wrong(key, allowed, v);
    for (JsonNode item : v) {
      if (!item.isIntegralNumber() || !item.canConvertToInt() || item.intValue() < min || item.intValue() > max) {
        throw wrong(key, allowed, v);
      }
      out.add(item.intValue());
    }
    return List.copyOf(out);
  }

  /** A list of strings; empty when absent. */
  public List<String> strings(String key) {
    List<String> v = strings(key, "[]");
    return v == null ? List.of() : v;
  }

  /** A list of strings without a default: null when absent. */
  public List<String> optionalStrings(String key) {
    return strings(key, null);
  }

  /** Public keys (hex or npub) as lowercase hex, in the order given; empty when absent. */
  public Set<String> pubkeys(String key) {
    Set<String> out = new LinkedHashSet<>();
    for (String value : strings(key)) {
      try {
        out.add(Keys.parsePublicKey(value));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(pathOf(key) + ": " + e.getMessage());
      }
    }
    return Set.copyOf(out);
  }

  /** The sub-table {@code [path.key]}, with keys of its own; empty when absent. */
  public ConfigSection section(String key) {
    return child(key, false);
  }

  /** A sub-table whose names are the operator's (per-kind limits, prices per service): any name is accepted. */
  public ConfigSection table(String key) {
    return child(key, true);
  }

  /** The names this table holds in the file, in file order (for {@link #table}s). */
  public List<String> names() {
    List<String> out = new ArrayList<>();
    table.fieldNames().forEachRemaining(out::add);
    return out;
  }

  /** One line per key or section in the file that no reader asked for, with the nearest declared name. */
  public List<String> unknownKeys() {
    List<String> out = new ArrayList<>();
    collectUnknown(out);
    return out;
  }

  /** Every key and section read so far, depth first, in the order the readers asked for them. */
  public List<Key> declared() {
    List<Key> out = new ArrayList<>();
    collectDeclared(out);
    return out;
  }

  private ConfigSection child(String key, boolean free) {
    ConfigSection existing = sections.get(key);
    if (existing != null) return existing;
    JsonNode v = table.get(key);
    if (v != null && !v.isNull() && !v.isObject()) throw wrong(key, "a table ([" + pathOf(key) + "])", v);
    ConfigSection s = new ConfigSection(pathOf(key), v, free);
    sections.put(key, s);
    return s;
  }

  private List<String> strings(String key, String defaultToml) {
    JsonNode v = value(key, defaultToml);
    if (v == null) return null;
    if (!v.isArray()) throw wrong(key, "a list of strings", v);
    List<String> out = new ArrayList<>();
    for (JsonNode item : v) {
      if (!item.isTextual()) throw wrong(key, "a list of strings", v);
      out.add(item.textValue());
    }
    return List.copyOf(out);
  }

  private JsonNode value(String key, String defaultToml) {
    JsonNode v = table.get(key);
    if (v != null && v.isNull()) v = null;
    keys.put(key, new Key(pathOf(key), false, defaultToml, v == null ? null : Toml.write(v)));
    return v;
  }

  private long whole(String key, JsonNode v, long min, long max) {
    if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < min || v.longValue() > max) {
      String range = max == Long.MAX_VALUE ? "a whole number, " + min + " or more"
          : "a whole number from " + min + " to " + max;
      throw wrong(key, range, v);
    }
    return v.longValue();
  }

  private ConfigException wrong(String key, String allowed, JsonNode v) {
    return new ConfigException(pathOf(key) + " must be " + allowed + ", got " + Toml.write(v));
  }

  private String pathOf(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  private void collectUnknown(List<String> out) {
    if (!freeForm) {
      for (Iterator<String> names = table.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!keys.containsKey(name) && !sections.containsKey(name)) out.add(unknown(name));
      }
    }
    sections.values().forEach(s -> s.collectUnknown(out));
  }

  private String unknown(String name) {
    boolean isTable = table.get(name).isObject();
    String what = isTable ? "unknown section [" + pathOf(name) + "]" : "unknown key " + pathOf(name);
    List<String> candidates = new ArrayList<>(keys.keySet());
    candidates.addAll(sections.keySet());
    if (candidates.isEmpty()) return what + " ([" + path + "] takes no keys)";
    String nearest = EditDistance.nearest(name.toLowerCase(Locale.ROOT), candidates);
    String suggestion = sections.containsKey(nearest) ? "[" + pathOf(nearest) + "]" : pathOf(nearest);
    if (path.isEmpty() && !isTable) {
      // A key written above every section header, e.g. port = 7777: say which section it belongs in.
      for (ConfigSection s : sections.values()) {
        if (s.keys.containsKey(name)) return what + " at the top of the file; did you mean " + s.pathOf(name)
            + " (under [" + s.path + "])?";
      }
    }
    return what + "; did you mean " + suggestion + "?";
  }

  private void collectDeclared(List<Key> out) {
    out.addAll(keys.values());
    for (ConfigSection s : sections.values()) {
      out.add(new Key(s.path, true, null, null));
      s.collectDeclared(out);
    }
  }
}
