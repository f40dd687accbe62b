package archy.plugin;

/**
 * A plugin: a jar with a {@code META-INF/services/archy.plugin.RelayPlugin} entry. The host finds it with
 * {@link java.util.ServiceLoader}, calls {@link #install} once at start-up (in the order documented in
 * {@link PluginLoader}) and {@link #close} at shutdown, in reverse order.
 */
public interface RelayPlugin {
  /** The plugin's name, which is also its config section and its database component. */
  String name();

  /** Registers hooks, routes and services; may run the plugin's migrations. */
  void install(PluginContext ctx) throws Exception;

  default void close() {}
}
