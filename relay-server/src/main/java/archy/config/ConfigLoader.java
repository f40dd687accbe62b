package archy.config;

import archy.nostr.Keys;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the TOML file (optional) and applies overrides: command-line flags beat {@code ARCHY_*}
 * environment variables, which beat the file, which beats the defaults below. The defaults are the
 * ones docs/configuration.md lists; change both together.
 */
public final class ConfigLoader {
  private static final TomlMapper TOML = new TomlMapper();

  private ConfigLoader() {}

  /** Server keys given on the command line or in the environment; null means "not given". */
  public record Overrides(String host, Integer port, Integer quicPort, Path dataDir, String storageUrl,
                          String publicUrl) {
    public static Overrides none() {
      return new Overrides(null, null, null, null, null, null);
    }

    /** Fills what the flags left out from ARCHY_HOST, ARCHY_PORT, ARCHY_QUIC_PORT, ARCHY_DATA_DIR, ARCHY_STORAGE, ARCHY_PUBLIC_URL. */
    public Overrides withEnvironment(Map<String, String> env) {
      return new Overrides(
          host != null ? host : env.get("ARCHY_HOST"),
          port != null ? port : intOrNull(env.get("ARCHY_PORT"), "ARCHY_PORT"),
          quicPort != null ? quicPort : intOrNull(env.get("ARCHY_QUIC_PORT"), "ARCHY_QUIC_PORT"),
          dataDir != null ? dataDir : (env.get("ARCHY_DATA_DIR") == null ? null : Path.of(env.get("ARCHY_DATA_DIR"))),
          storageUrl != null ? storageUrl : env.get("ARCHY_STORAGE"),
          publicUrl != null ? publicUrl : env.get("ARCHY_PUBLIC_URL"));
    }
  }

  /** The config file to read: the {@code --config} flag, else {@code ARCHY_CONFIG}, else none (null). */
  public static Path configFile(Path flag, Map<String, String> env) {
    if (flag != null) return flag;
    String fromEnv = env.get("ARCHY_CONFIG");
    return fromEnv == null || fromEnv.isBlank() ? null : Path.of(fromEnv);
  }

  public static Config load(Path file, Overrides overrides) throws IOException {
    ObjectNode raw = file == null ? TOML.createObjectNode() : (ObjectNode) TOML.readTree(Files.readString(file));
    return fromTree(raw, overrides);
  }

  public static Config parse(String toml, Overrides overrides) throws IOException {
    return fromTree((ObjectNode) TOML.readTree(toml), overrides);
  }

  static Config fromTree(ObjectNode raw, Overrides o) {
    JsonNode server = section(raw, "server");
    String host = o.host() != null ? o.host() : text(server, "host", "127.0.0.1");
    int port = o.port() != null ? o.port() : integer(server, "port", 7777);
    int quicPort = o.quicPort() != null ? o.quicPort() : integer(server, "quic_port", 7778);
    Path dataDir = o.dataDir() != null ? o.dataDir() : Path.of(text(server, "data_dir", "./data"));
    String publicUrl = o.publicUrl() != null ? o.publicUrl()
        : text(server, "public_url", "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port);
    if (publicUrl.endsWith("/")) publicUrl = publicUrl.substring(0, publicUrl.length() - 1);

    String storage = o.storageUrl() != null ? o.storageUrl() : text(section(raw, "storage"), "url", "sqlite");
    JsonNode plugins = section(raw, "plugins");
    List<String> enabled = plugins.has("enabled") ? strings(plugins.get("enabled"), "plugins.enabled") : null;

    return new Config(
        new Config.Server(host, port, quicPort, dataDir, publicUrl, integer(server, "header_timeout_seconds", 20),
            integer(server, "max_request_header_bytes", 16_384)),
        new Config.Node(text(section(raw, "node"), "key", "")),
        new Config.Storage(storage),
        relay(section(raw, "relay")),
        blossom(section(raw, "blossom"), dataDir),
        new Config.Plugins(enabled),
        raw);
  }

  private static Relay relay(JsonNode r) {
    // PROTOCOLS.md §2.1: film events (kind 30082) may reach 256 KiB; configured entries add to or replace this.
    Map<Integer, Integer> byKind = new HashMap<>(Map.of(30082, 262_144));
    JsonNode overrides = r.get("max_event_bytes_by_kind");
    if (overrides != null) {
      overrides.fields().forEachRemaining(e -> byKind.put(parseKind(e.getKey()), e.getValue().asInt()));
    }
    Set<Integer> authKinds = new LinkedHashSet<>();
    if (r.has("auth_required_kinds")) {
      for (JsonNode k : r.get("auth_required_kinds")) authKinds.add(k.asInt());
    }
    return new Relay(
        text(r, "name", "Archipelago relay"),
        text(r, "description", "A community Nostr relay and Blossom server of the Archipelago film network."),
        text(r, "contact", ""),
        text(r, "pubkey", ""),
        Set.copyOf(authKinds),
        integer(r, "max_frame_bytes", 393_216), // room for a 256 KiB film event and its framing
        integer(r, "max_event_bytes", 65_536),
        Map.copyOf(byKind),
        integer(r, "max_tags", 2_000),
        integer(r, "max_tag_value_bytes", 1_024),
        integer(r, "max_subscriptions", 200),
        integer(r, "max_filters", 50),
        integer(r, "max_filter_values", 1_000),
        integer(r, "max_subscription_id_length", 64),
        integer(r, "default_limit", 500),
        integer(r, "max_limit", 5_000),
        integer(r, "max_future_seconds", 900),
        integer(r, "max_past_seconds", 0),
        integer(r, "max_connections_per_ip", 200),
        r.has("events_per_second") ? r.get("events_per_second").asDouble() : 50.0,
        integer(r, "event_burst", 500),
        longValue(r, "max_pending_output_bytes", 32L << 20),
        longValue(r, "max_pending_output_bytes_per_ip", 64L << 20),
        longValue(r, "max_pending_output_bytes_total", 0), // 0: a quarter of the maximum heap
        integer(r, "idle_timeout_seconds", 600));
  }

  private static Blossom blossom(JsonNode b, Path dataDir) {
    Set<String> allowlist = new LinkedHashSet<>();
    if (b.has("upload_allowlist")) {
      for (String key : strings(b.get("upload_allowlist"), "blossom.upload_allowlist")) allowlist.add(Keys.parsePublicKey(key));
    }
    List<String> types = b.has("allowed_types") ? strings(b.get("allowed_types"), "blossom.allowed_types") : List.of();
    String dir = text(b, "blob_dir", "");
    return new Blossom(
        !b.has("enabled") || b.get("enabled").asBoolean(),
        dir.isEmpty() ? dataDir.resolve("blobs") : dataDir.resolve(dir),
        longValue(b, "max_upload_bytes", 2_147_483_648L),
        choice(b, "upload", Blossom.UploadMode.AUTHENTICATED, Blossom.UploadMode.class),
        Set.copyOf(allowlist),
        types.stream().map(t -> t.trim().toLowerCase(Locale.ROOT)).toList(),
        longValue(b, "quota_bytes", 10L << 30),
        quotasByKey(b),
        integer(b, "retention_days", 0),
        integer(b, "unowned_retention_days", 7),
        choice(b, "list", Blossom.ListMode.PUBLIC, Blossom.ListMode.class),
        b.path("mirror_allow_private").asBoolean(false),
        integer(b, "mirror_timeout_seconds", 30),
        integer(b, "auth_clock_skew_seconds", 60));
  }

  /** {@code quota_bytes_by_key = { "<hex or npub>" = bytes }}. */
  private static Map<String, Long> quotasByKey(JsonNode b) {
    JsonNode table = b.get("quota_bytes_by_key");
    if (table == null) return Map.of();
    if (!table.isObject()) throw new IllegalArgumentException("blossom.quota_bytes_by_key must be a table");
    Map<String, Long> quotas = new HashMap<>();
    table.fields().forEachRemaining(e -> {
      if (!e.getValue().canConvertToLong() || e.getValue().asLong() < 0) {
        throw new IllegalArgumentException("blossom.quota_bytes_by_key: '" + e.getKey() + "' needs a byte count");
      }
      quotas.put(Keys.parsePublicKey(e.getKey()), e.getValue().asLong());
    });
    return Map.copyOf(quotas);
  }

  private static <E extends Enum<E>> E choice(JsonNode section, String key, E fallback, Class<E> type) {
    String v = text(section, key, fallback.name());
    try {
      return Enum.valueOf(type, v.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + " must be one of " + Arrays.toString(type.getEnumConstants())
          .toLowerCase(Locale.ROOT) + ", got '" + v + "'");
    }
  }

  private static long longValue(JsonNode section, String key, long fallback) {
    JsonNode v = section.get(key);
    if (v == null) return fallback;
    if (!v.canConvertToLong()) throw new IllegalArgumentException(key + " must be an integer");
    return v.asLong();
  }

  private static int parseKind(String key) {
    try {
      return Integer.parseInt(key);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("relay.max_event_bytes_by_kind: '" + key + "' is not a kind number");
    }
  }

  private static JsonNode section(JsonNode raw, String name) {
    JsonNode node = raw.get(name);
    if (node == null) return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    if (!node.isObject()) throw new IllegalArgumentException("[" + name + "] must be a table");
    return node;
  }

  private static String text(JsonNode section, String key, String fallback) {
    JsonNode v = section.get(key);
    return v == null || v.isNull() ? fallback : v.asText();
  }

  private static int integer(JsonNode section, String key, int fallback) {
    JsonNode v = section.get(key);
    if (v == null) return fallback;
    if (!v.canConvertToInt()) throw new IllegalArgumentException(key + " must be an integer");
    return v.asInt();
  }

  private static List<String> strings(JsonNode node, String key) {
    if (!node.isArray()) throw new IllegalArgumentException(key + " must be an array of strings");
    List<String> out = new ArrayList<>();
    node.forEach(n -> out.add(n.asText()));
    return List.copyOf(out);
  }

  private static Integer intOrNull(String s, String name) {
    if (s == null || s.isBlank()) return null;
    try {
      return Integer.parseInt(s.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be an integer, got '" + s + "'");
    }
  }
}
