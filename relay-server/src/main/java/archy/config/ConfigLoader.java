package archy.config;

import archy.nostr.Keys;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the TOML file (optional) and applies overrides: command-line flags beat {@code ARCHY_*}
 * environment variables, which beat the file, which beats the defaults below. The defaults are the
 * ones docs/configuration.md and archy.example.toml list (ConfigReferenceTest holds the three together).
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
    if (file == null) return fromTree(TOML.createObjectNode(), overrides);
    if (!Files.isRegularFile(file)) throw new ConfigException("config file " + file + " does not exist");
    return fromTree(readToml(Files.readString(file), file.toString()), overrides);
  }

  public static Config parse(String toml, Overrides overrides) throws IOException {
    return fromTree(readToml(toml, "the config"), overrides);
  }

  /** A TOML syntax error becomes one line: where, and what the parser expected. */
  private static ObjectNode readToml(String toml, String source) {
    try {
      return (ObjectNode) TOML.readTree(toml);
    } catch (JacksonException e) {
      JsonLocation at = e.getLocation();
      String where = at == null || at.getLineNr() < 1 ? "" : " line " + at.getLineNr();
      throw new ConfigException(source + where + ": not valid TOML: " + e.getOriginalMessage());
    }
  }

  static Config fromTree(ObjectNode raw, Overrides o) {
    return read(ConfigSection.root(raw), o);
  }

  /**
   * Reads the host's sections from {@code root}, declaring each key it knows: this method is the list of the
   * host's keys (and their defaults) that docs/configuration.md documents. Every key is read whatever the
   * overrides say, so that a key in the file is never mistaken for an unknown one.
   */
  public static Config read(ConfigSection root, Overrides o) {
    ConfigSection server = root.section("server");
    String fileHost = server.text("host", "127.0.0.1");
    int filePort = server.integer("port", 7777, 0);
    Long fileQuicPort = server.optionalLong("quic_port", 0); // default: the HTTP port + 1; 0 = off
    String fileDataDir = server.text("data_dir", "./data");
    String filePublicUrl = server.text("public_url", null);
    int headerTimeout = server.integer("header_timeout_seconds", 20, 1);
    int maxHeaderBytes = server.integer("max_request_header_bytes", 16_384, 1_024);
    String host = o.host() != null ? o.host() : fileHost;
    int port = o.port() != null ? o.port() : filePort;
    int quicPort = o.quicPort() != null ? o.quicPort() : fileQuicPort != null ? fileQuicPort.intValue() : port + 1;
    if (quicPort > 65_535) throw new ConfigException("server.quic_port must be at most 65535, got " + quicPort);
    Path dataDir = o.dataDir() != null ? o.dataDir() : Path.of(fileDataDir);
    String publicUrl = o.publicUrl() != null ? o.publicUrl() : filePublicUrl != null ? filePublicUrl
        : "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    if (publicUrl.endsWith("/")) publicUrl = publicUrl.substring(0, publicUrl.length() - 1);
    if (!publicUrl.matches("https?://[^/?#\\s]+(/[^?#\\s]*)?")) {
      throw new ConfigException("server.public_url (or --public-url, ARCHY_PUBLIC_URL) must be an http:// or https://"
          + " URL, got " + Toml.quote(publicUrl));
    }

    String fileStorage = root.section("storage").text("url", "sqlite");
    String storage = o.storageUrl() != null ? o.storageUrl() : fileStorage;
    if (!storage.equals("sqlite") && !storage.startsWith("sqlite:") && !storage.startsWith("postgresql://")
        && !storage.startsWith("postgres://")) {
      // Only the scheme is echoed: the rest may hold a password.
      throw new ConfigException("storage.url (or --storage, ARCHY_STORAGE) must be \"sqlite\", \"sqlite:<file>\" or"
          + " \"postgresql://user@host:5432/db\", got " + Toml.quote(storage.replaceFirst("://.*", "://…")));
    }
    List<String> enabled = root.section("plugins").optionalStrings("enabled");

    return new Config(
        new Config.Server(host, port, quicPort, dataDir, publicUrl, headerTimeout, maxHeaderBytes),
        new Config.Node(nodeKey(root.section("node"))),
        new Config.Storage(storage),
        relay(root.section("relay")),
        blossom(root.section("blossom"), dataDir),
        quic(root.section("quic")),
        new Config.Plugins(enabled),
        root.json());
  }

  /** The secret key is checked here, so a bad one stops the node before it starts; it is never echoed. */
  private static String nodeKey(ConfigSection node) {
    String key = node.text("key", "");
    if (key.isBlank()) return key;
    try {
      Keys.parse(key);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("node.key: " + e.getMessage());
    }
    return key;
  }

  private static Relay relay(ConfigSection r) {
    // PROTOCOLS.md §2.1: film events (kind 30082) may reach 256 KiB; configured entries add to or replace this.
    Map<Integer, Integer> byKind = new HashMap<>();
    ConfigSection overrides = r.table("max_event_bytes_by_kind");
    byKind.put(30082, overrides.integer("30082", 262_144, 1));
    for (String kind : overrides.names()) {
      if (!kind.equals("30082")) byKind.put(parseKind(overrides.path(), kind), overrides.integer(kind, 0, 1));
    }
    Set<Integer> authKinds = new LinkedHashSet<>(r.integers("auth_required_kinds", 0, 65_535));
    return new Relay(
        r.text("name", "Archipelago relay"),
        r.text("description", "A community Nostr relay and Blossom server of the Archipelago film network."),
        r.text("contact", ""),
        r.text("pubkey", ""),
        r.pubkeys("admins"),
        Set.copyOf(authKinds),
        r.integer("max_frame_bytes", 393_216, 1), // room for a 256 KiB film event and its framing
        r.integer("max_event_bytes", 65_536, 1),
        Map.copyOf(byKind),
        r.integer("max_tags", 2_000, 0),
        r.integer("max_tag_value_bytes", 1_024, 1),
        r.integer("max_subscriptions", 200, 1),
        r.integer("max_filters", 50, 1),
        r.integer("max_filter_values", 1_000, 1),
        r.integer("max_subscription_id_length", 64, 1),
        r.integer("default_limit", 500, 1),
        r.integer("max_limit", 5_000, 1),
        r.integer("max_future_seconds", 900, 0),
        r.integer("max_past_seconds", 0, 0),
        r.integer("max_connections_per_ip", 200, 1),
        r.number("events_per_second", 50.0, 0),
        r.integer("event_burst", 500, 1),
        r.longInteger("max_pending_output_bytes", 32L << 20, 1),
        r.longInteger("max_pending_output_bytes_per_ip", 64L << 20, 1),
        r.longInteger("max_pending_output_bytes_total", 0, 0), // 0: a quarter of the maximum heap
        r.integer("idle_timeout_seconds", 600, 1),
        r.integer("negentropy_max_sessions", 8, 0),
        r.integer("negentropy_max_records", 500_000, 1),
        negentropyFrameBytes(r.integer("negentropy_frame_bytes", 60_000, 0)));
  }

  /** The negentropy reference refuses frames under 4096 bytes; 0 means unlimited messages. */
  private static int negentropyFrameBytes(int bytes) {
    if (bytes != 0 && bytes < 4096) {
      throw new ConfigException("relay.negentropy_frame_bytes must be 0 (no limit) or at least 4096, got " + bytes);
    }
    return bytes;
  }

  private static QuicLimits quic(ConfigSection q) {
    return new QuicLimits(
        q.integer("max_streams_per_connection", 100, 1),
        q.integer("max_header_bytes", 65_536, 2),
        q.integer("idle_timeout_seconds", 30, 1),
        q.integer("header_timeout_seconds", 10, 1),
        q.integer("max_connections_per_ip", 16, 1));
  }

  private static Blossom blossom(ConfigSection b, Path dataDir) {
    List<String> types = b.strings("allowed_types");
    String dir = b.text("blob_dir", "blobs");
    return new Blossom(
        b.bool("enabled", true),
        dataDir.resolve(dir.isEmpty() ? "blobs" : dir),
        b.longInteger("max_upload_bytes", 2_147_483_648L, 1),
        Blossom.UploadMode.valueOf(b.choice("upload", "authenticated", "authenticated", "allowlist")
            .toUpperCase(Locale.ROOT)),
        b.pubkeys("upload_allowlist"),
        types.stream().map(t -> t.trim().toLowerCase(Locale.ROOT)).toList(),
        b.longInteger("quota_bytes", 10L << 30, 0),
        quotasByKey(b.table("quota_bytes_by_key")),
        b.integer("retention_days", 0, 0),
        b.integer("unowned_retention_days", 7, 0),
        Blossom.ListMode.valueOf(b.choice("list", "public", "public", "owner", "off").toUpperCase(Locale.ROOT)),
        b.bool("mirror_allow_private", false),
        b.integer("mirror_timeout_seconds", 30, 1),
        b.integer("auth_clock_skew_seconds", 60, 0),
        s3(b));
  }

  /** The {@code s3_*} keys, all read whatever {@code store} says (see ConfigSection); null for the file store. */
  private static Blossom.S3 s3(ConfigSection b) {
    String store = b.choice("store", "file", "file", "s3");
    String endpoint = b.text("s3_endpoint", "");
    String bucket = b.text("s3_bucket", "");
    String region = b.text("s3_region", "us-east-1");
    String prefix = b.text("s3_prefix", "");
    boolean pathStyle = b.bool("s3_path_style", false);
    String accessKey = b.text("s3_access_key", "");
    String secretKey = b.text("s3_secret_key", "");
    if (store.equals("file")) return null;
    if (bucket.isBlank()) throw new ConfigException("blossom.s3_bucket is required when blossom.store = \"s3\"");
    if (accessKey.isEmpty() != secretKey.isEmpty()) {
      throw new ConfigException("blossom.s3_access_key and blossom.s3_secret_key go together (or leave both out "
          + "to use AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)");
    }
    if (!endpoint.isEmpty() && !endpoint.startsWith("http://") && !endpoint.startsWith("https://")) {
      throw new ConfigException("blossom.s3_endpoint must be an http:// or https:// URL, got " + Toml.quote(endpoint));
    }
    return new Blossom.S3(endpoint.isEmpty() ? null : endpoint, bucket, region, prefix, pathStyle,
        accessKey.isEmpty() ? null : accessKey, secretKey.isEmpty() ? null : secretKey);
  }

  /** {@code [blossom.quota_bytes_by_key]}: {@code "<hex or npub>" = bytes}, 0 exempting the key. */
  private static Map<String, Long> quotasByKey(ConfigSection table) {
    Map<String, Long> quotas = new HashMap<>();
    for (String key : table.names()) {
      long bytes = table.longInteger(key, 0, 0);
      try {
        quotas.put(Keys.parsePublicKey(key), bytes);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(table.path() + ": " + e.getMessage());
      }
    }
    return Map.copyOf(quotas);
  }

  private static int parseKind(String path, String key) {
    try {
      int kind = Integer.parseInt(key);
      if (kind >= 0 && kind <= 65_535) return kind;
    } catch (NumberFormatException e) {
      // falls through to the message below
    }
    throw new ConfigException(path + ": '" + key + "' is not a kind number (0 to 65535)");
  }

  private static Integer intOrNull(String s, String name) {
    if (s == null || s.isBlank()) return null;
    try {
      return Integer.parseInt(s.trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(name + " must be a whole number, got '" + s + "'");
    }
  }
}
