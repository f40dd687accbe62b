package archy.plugin;

import archy.config.ConfigSection;

/**
 * A plugin: a jar with a {@code META-INF/services/archy.plugin.RelayPlugin} entry. The host finds it with
 * {@link java.util.ServiceLoader}, calls {@link #install} once at start-up (in the order documented in
 * {@link PluginLoader}) and {@link #close} at shutdown, in reverse order.
 */
public interface RelayPlugin {
  /** The plugin's name, which is also its config section and its database component. */
  String name();

  /**
   * Reads the plugin's section ({@code [name]} and its sub-tables) through {@code section}, the way
   * {@link #install} will, and starts nothing: every key the plugin accepts is declared by being read here, so
   * the host can refuse a mistyped key and list the known ones. Called for every plugin found, enabled or not,
   * before any plugin starts. The usual body is one line, {@code MyConfig.from(section);}; the default reads
   * nothing, so any key in the section is refused.
   *
   * @throws archy.config.ConfigException for a bad value, naming the key and what is allowed
   */
  default void readConfig(ConfigSection section) {}

  /** Registers hooks, routes and services; may run the plugin's migrations. */
  void install(PluginContext ctx) throws Exception;

  default void close() {}
}
