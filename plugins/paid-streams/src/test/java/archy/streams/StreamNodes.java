package archy.streams;

/** The node config of the paid-streams tests: ecash-gate allowing one dev mint, closed on mint failure, and this plugin. */
public final class StreamNodes {
  private StreamNodes() {}

  /** The {@code [plugins]}, {@code [ecash-gate]} and {@code [paid-streams]} sections. */
  public static String config(String mintUrl, long relaySharePpm) {
    return """
        [plugins]
        enabled = ["ecash-gate", "paid-streams"]
        [ecash-gate]
        mints = ["%s"]
        fail_open = false
        [paid-streams]
        relay_share_ppm = %d
        """.formatted(mintUrl, relaySharePpm);
  }
}
