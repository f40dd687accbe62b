package archy.server;

import archy.config.Config;
import archy.config.ConfigException;
import archy.config.ConfigLoader;
import archy.config.ConfigSection;
import archy.plugin.RelayPlugin;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Collection;
import java.util.List;

/**
 * The whole file, checked before anything starts: the host's sections and the section of every plugin found,
 * enabled or not, are read through one {@link ConfigSection} root, so a bad value anywhere and any key or section
 * no reader asked for stops the node with one line each. A section named after a plugin that is not on the class
 * path is unknown like any other typo.
 */
public final class ConfigCheck {
  private ConfigCheck() {}

  /** @throws ConfigException listing every problem, one per line */
  public static void check(Config config, Collection<RelayPlugin> found) {
    ConfigSection root = read(config.raw(), found);
    List<String> unknown = root.unknownKeys();
    if (!unknown.isEmpty()) throw new ConfigException(String.join("\n", unknown));
  }

  /** Every key the host and these plugins accept, with its default (what docs/configuration.md must list). */
  public static List<ConfigSection.Key> declared(Collection<RelayPlugin> found) {
    return read(JsonNodeFactory.instance.objectNode(), found).declared();
  }

  /** The file as every reader sees it (values read and recorded, for the example-file test). */
  public static ConfigSection read(JsonNode file, Collection<RelayPlugin> found) {
    ConfigSection root = ConfigSection.root(file);
    ConfigLoader.read(root, ConfigLoader.Overrides.none());
    for (RelayPlugin plugin : found) {
      ConfigSection section = root.section(plugin.name());
      try {
        plugin.readConfig(section);
      } catch (ConfigException e) {
        throw e;
      } catch (IllegalArgumentException e) {
        // A plugin's own check that did not name its key: at least name the section.
        throw new ConfigException("[" + section.path() + "]: " + e.getMessage());
      }
    }
    return root;
  }
}
