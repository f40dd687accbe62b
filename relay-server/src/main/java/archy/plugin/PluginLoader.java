package archy.plugin;

import archy.config.ConfigException;
import archy.config.EditDistance;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Finds plugins with {@link ServiceLoader} and decides which start and in what order.
 *
 * <p>Order: when {@code [plugins] enabled} is set, exactly those plugins in that order (a name that is not
 * found is an error). Otherwise every plugin found, in {@link #DEFAULT_ORDER} and then by name. The
 * default order puts the services other plugins look up (ecash-gate's payment gate, film-catalog's
 * catalog) before their users.
 */
public final class PluginLoader {
  public static final List<String> DEFAULT_ORDER =
      List.of("ecash-gate", "film-catalog", "paid-blobs", "relay-bandwidth", "paid-streams");

  private PluginLoader() {}

  /** Every plugin on the class path, by name, enabled or not (the config check reads all their sections). */
  public static Map<String, RelayPlugin> found(ClassLoader classLoader) {
    Map<String, RelayPlugin> found = new LinkedHashMap<>();
    for (RelayPlugin plugin : ServiceLoader.load(RelayPlugin.class, classLoader)) {
      if (found.putIfAbsent(plugin.name(), plugin) != null) {
        throw new IllegalStateException("two plugins are named " + plugin.name());
      }
    }
    return found;
  }

  /** The plugins to start, in start order, from those {@link #found}. */
  public static List<RelayPlugin> load(Map<String, RelayPlugin> found, List<String> enabled) {
    if (enabled != null) {
      List<RelayPlugin> chosen = new ArrayList<>();
      for (String name : enabled) {
        RelayPlugin plugin = found.get(name);
        if (plugin == null) {
          String nearest = EditDistance.nearest(name, List.copyOf(found.keySet()));
          throw new ConfigException("plugins.enabled names '" + name + "', which is not on the class path"
              + (nearest == null ? " (no plugin is)" : "; did you mean " + nearest + "?") + " Found: "
              + String.join(", ", found.keySet()));
        }
        chosen.add(plugin);
      }
      return chosen;
    }
    List<RelayPlugin> all = new ArrayList<>(found.values());
    all.sort(Comparator.comparingInt((RelayPlugin p) -> {
      int i = DEFAULT_ORDER.indexOf(p.name());
      return i < 0 ? Integer.MAX_VALUE : i;
    }).thenComparing(RelayPlugin::name));
    return all;
  }
}
