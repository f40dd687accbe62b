package archy.plugin;

/** The answer of an event or filter policy: accept, or reject with a NIP-01 prefixed message. */
public sealed interface Verdict {
  Accept ACCEPT = new Accept();

  record Accept() implements Verdict {}

  /** {@code message} starts with a NIP-01 prefix such as {@code blocked:}, {@code invalid:}, {@code auth-required:}. */
  record Reject(String message) implements Verdict {}

  static Verdict accept() {
    return ACCEPT;
  }

  static Verdict reject(String message) {
    return new Reject(message);
  }
}
