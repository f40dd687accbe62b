package archy.config;

/**
 * The {@code [quic]} section: the limits every peer on the node-to-node QUIC port meets (PROTOCOLS.md §5).
 * The port itself is {@code [server] quic_port}. Defaults live in {@link ConfigLoader} and docs/configuration.md.
 *
 * @param maxStreamsPerConnection concurrent request streams one connection may have open (QUIC stream credit)
 * @param maxHeaderBytes longest request header line, its {@code \n} included; §5 caps it at 64 KiB
 * @param idleTimeoutSeconds a connection with no packets for this long is closed, and an answer the peer
 *     stops reading for this long is reset
 * @param headerTimeoutSeconds a stream must deliver its header and finish its side within this
 * @param maxConnectionsPerIp open connections from one address; streams on the ones past it answer 429
 */
public record QuicLimits(int maxStreamsPerConnection, int maxHeaderBytes, int idleTimeoutSeconds, int headerTimeoutSeconds,
                   int maxConnectionsPerIp) {
  public QuicLimits {
    if (maxStreamsPerConnection < 1) throw new ConfigException("quic.max_streams_per_connection must be at least 1");
    if (maxHeaderBytes < 2 || maxHeaderBytes > 65_536) {
      throw new ConfigException("quic.max_header_bytes must be between 2 and 65536");
    }
    if (idleTimeoutSeconds < 1) throw new ConfigException("quic.idle_timeout_seconds must be at least 1");
    if (headerTimeoutSeconds < 1) throw new ConfigException("quic.header_timeout_seconds must be at least 1");
    if (maxConnectionsPerIp < 1) throw new ConfigException("quic.max_connections_per_ip must be at least 1");
  }
}
