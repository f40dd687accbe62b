package archy.config;

/**
 * A mistake the operator can fix in the configuration (or the environment it names): the message is one line per
 * problem, names the key by its full path and says what is allowed. The CLI prints it without a stack trace.
 */
public final class ConfigException extends IllegalArgumentException {
  public ConfigException(String message) {
    super(message);
  }
}
