package archy.quic;

import java.util.Optional;

/**
 * Node-to-node QUIC as plugins see it (PROTOCOLS.md §5): serve a protocol on the node's UDP port, dial other
 * nodes, and the certificate fingerprint adverts name. The port opens when the node has started, and only if
 * some plugin registered a protocol and {@code [server] quic_port} is not 0.
 */
public interface QuicNetwork {
  /** SHA-256 (hex) of the node's certificate, the last element of its {@code quic} endpoint tags. */
  String fingerprint();

  /**
   * The {@code host:port} this node's {@code quic} endpoint tags name (the public URL's host, the QUIC port),
   * or empty when QUIC is off ({@code quic_port = 0}).
   */
  Optional<String> endpoint();

  /** Serves streams whose connection negotiated {@code alpn}. Only during plugin install; one handler per ALPN. */
  void register(String alpn, QuicHandler handler);

  /**
   * Whether this node answers {@code alpn} on its QUIC port: registered and QUIC on. Adverts name a {@code quic}
   * endpoint only for protocols served (ask after plugins installed, e.g. from a scheduled task).
   */
  boolean serves(String alpn);

  /** Dials other nodes, presenting this node's certificate. */
  QuicClient client();
}
