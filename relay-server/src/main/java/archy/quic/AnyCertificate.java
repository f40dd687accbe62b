package archy.quic;

import java.security.cert.X509Certificate;
import java.net.Socket;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Accepts every certificate at the TLS layer. Identity on QUIC is the Nostr key (§5.0): the server accepts any
 * client certificate and learns who it is from the {@code auth} event bound to it; the client checks the
 * server's certificate against the pinned fingerprint right after the handshake, before it sends a byte.
 */
final class AnyCertificate extends X509ExtendedTrustManager {
  static final AnyCertificate INSTANCE = new AnyCertificate();

  @Override public void checkClientTrusted(X509Certificate[] chain, String authType) {}
  @Override public void checkServerTrusted(X509Certificate[] chain, String authType) {}
  @Override public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}
  @Override public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}
  @Override public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}
  @Override public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}
  @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
}
