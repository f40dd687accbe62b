package archy.quic;

import archy.nostr.Hex;

/**
 * Where a client dials: a {@code quic} endpoint tag's {@code host:port}, ALPN and certificate fingerprint. The
 * fingerprint is required: a client never talks to an unpinned endpoint (PROTOCOLS.md §5.0).
 */
public record QuicTarget(String hostPort, String alpn, String fingerprint) {
  public QuicTarget {
    if (hostPort == null || hostPort.lastIndexOf(':') <= 0) throw new IllegalArgumentException("QUIC endpoint must be host:port");
    try {
      int port = Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
      if (port < 1 || port > 65_535) throw new NumberFormatException();
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("QUIC endpoint port must be 1-65535: " + hostPort);
    }
    if (alpn == null || alpn.isEmpty()) throw new IllegalArgumentException("QUIC endpoint needs an ALPN");
    if (fingerprint == null || !Hex.isLowerHex(fingerprint, 64)) {
      throw new IllegalArgumentException("QUIC endpoint needs the certificate's sha256 (64 lowercase hex)");
    }
  }

  String host() {
    String host = hostPort.substring(0, hostPort.lastIndexOf(':'));
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  int port() {
    return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
  }
}
