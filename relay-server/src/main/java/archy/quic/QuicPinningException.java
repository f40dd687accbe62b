package archy.quic;

import java.io.IOException;

/** The server's certificate is not the one its endpoint tag pins (§5.0): the connection was closed unused. */
public final class QuicPinningException extends IOException {
  public QuicPinningException(QuicTarget target, String presented) {
    super("QUIC server " + target.hostPort() + " presented certificate sha256 "
        + (presented.isEmpty() ? "(none)" : presented) + ", not the pinned " + target.fingerprint());
  }
}
