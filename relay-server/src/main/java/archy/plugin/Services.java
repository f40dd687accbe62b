package archy.plugin;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Plugins publish services by type (ecash-gate publishes its payment gate) and others look them up. */
public final class Services {
  private final ConcurrentHashMap<Class<?>, Object> byType = new ConcurrentHashMap<>();

  public <T> void publish(Class<T> type, T service) {
    if (byType.putIfAbsent(type, service) != null) {
      throw new IllegalStateException("a service of type " + type.getName() + " is already published");
    }
  }

  public <T> Optional<T> find(Class<T> type) {
    return Optional.ofNullable(type.cast(byType.get(type)));
  }
}
