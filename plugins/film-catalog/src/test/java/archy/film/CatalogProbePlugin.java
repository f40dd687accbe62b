package archy.film;

import archy.plugin.PluginContext;
import archy.plugin.RelayPlugin;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A test plugin started after film-catalog that looks the {@link FilmCatalog} service up, as paid-blobs will. */
public final class CatalogProbePlugin implements RelayPlugin {
  /** By node pubkey, so tests running several nodes find the right one. */
  static final Map<String, FilmCatalog> FOUND = new ConcurrentHashMap<>();

  @Override
  public String name() {
    return "film-catalog-probe";
  }

  @Override
  public void install(PluginContext ctx) {
    FOUND.put(ctx.nodeKeys().publicKeyHex(), ctx.services().find(FilmCatalog.class).orElseThrow());
  }
}
