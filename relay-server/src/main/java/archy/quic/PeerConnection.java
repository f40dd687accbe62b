package archy.quic;

import io.netty.handler.codec.quic.QuicChannel;
import io.netty.util.AttributeKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLPeerUnverifiedException;

/** What the server knows about one client connection: its address, whether it is over its IP's limit, its streams. */
final class PeerConnection {
  static final AttributeKey<PeerConnection> KEY = AttributeKey.valueOf("archy.quic.peer");

  final QuicChannel channel;
  final InetSocketAddress remote;
  /** Past {@code max_connections_per_ip}: every stream answers 429 and the connection is closed soon after. */
  final boolean refused;
  private final AtomicInteger inService = new AtomicInteger();
  private volatile String clientCertificate;

  private PeerConnection(QuicChannel channel, boolean refused) {
    this.channel = channel;
    this.remote = (InetSocketAddress) channel.remoteSocketAddress();
    this.refused = refused;
  }

  static PeerConnection attach(QuicChannel channel, boolean refused) {
    PeerConnection peer = new PeerConnection(channel, refused);
    channel.attr(KEY).set(peer);
    return peer;
  }

  static PeerConnection of(QuicChannel channel) {
    PeerConnection peer = channel.attr(KEY).get();
    if (peer == null) throw new IllegalStateException("a stream before its connection was counted");
    return peer;
  }

  InetAddress ip() {
    return remote.getAddress();
  }

  /** Takes one of the connection's request slots; false when all {@code limit} are in service. */
  boolean enter(int limit) {
    if (inService.incrementAndGet() <= limit) return true;
    inService.decrementAndGet();
    return false;
  }

  void exit() {
    inService.decrementAndGet();
  }

  /** SHA-256 (hex) of the certificate the client presented; read once the handshake is done. */
  String clientCertificate() {
    String known = clientCertificate;
    if (known != null) return known;
    try {
      Certificate[] chain = channel.sslEngine().getSession().getPeerCertificates();
      known = chain.length > 0 && chain[0] instanceof X509Certificate x ? QuicIdentity.fingerprint(x) : "";
    } catch (SSLPeerUnverifiedException e) {
      known = "";
    }
    clientCertificate = known;
    return known;
  }
}
