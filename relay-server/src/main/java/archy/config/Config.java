package archy.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;

/**
 * The node configuration. Every key is optional; defaults live in {@link ConfigLoader} and are
 * documented in docs/configuration.md. Plugin sections stay as JSON trees that each plugin reads itself.
 */
public record Config(Server server, Node node, Storage storage, Relay relay, Blossom blossom, QuicLimits quic,
                     Plugins plugins, ObjectNode raw) {

  /** {@code quicPort} 0 means no QUIC listener even when a plugin registers a protocol. */
  public record Server(String host, int port, int quicPort, Path dataDir, String publicUrl, int headerTimeoutSeconds,
                       int maxRequestHeaderBytes) {}

  public record Node(String key) {}

  public record Storage(String url) {}

  public record Plugins(List<String> enabled) {
    /** True when the operator named no list: every plugin found is enabled. */
    public boolean all() {
      return enabled == null;
    }
  }

  /** A plugin's own section, or an empty object. */
  public JsonNode section(String name) {
    JsonNode node = raw.get(name);
    return node != null && node.isObject() ? node : JsonNodeFactory.instance.objectNode();
  }
}
