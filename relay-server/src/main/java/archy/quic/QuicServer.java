package archy.quic;

import archy.config.QuicLimits;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.quic.QuicTokenHandler;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicChannelOption;
import io.netty.handler.codec.quic.QuicServerCodecBuilder;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.ssl.ClientAuth;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's QUIC listener: one UDP port, the registered ALPNs, mutual TLS 1.3 with the node certificate (any
 * client certificate accepted, §5.0), the {@code [quic]} limits, and each request stream to its protocol.
 */
final class QuicServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(QuicServer.class);
  /** Bounds what one answer keeps queued in the host before waiting for the peer (see {@link StreamReply}). */
  static final WriteBufferWaterMark ANSWER_BUFFER = new WriteBufferWaterMark(256 * 1024, 1024 * 1024);

  /** Never asks for a Retry (Netty's own NoQuicTokenHandler is not public). */
  private static final QuicTokenHandler NO_RETRY = new QuicTokenHandler() {
    @Override public boolean writeToken(ByteBuf out, ByteBuf dcid, InetSocketAddress address) { return false; }
    @Override public int validateToken(ByteBuf token, InetSocketAddress address) { return 0; }
    @Override public int maxTokenLength() { return 0; }
  };

  final QuicLimits limits;
  final ExecutorService executor;
  private final Map<String, QuicHandler> handlers;
  private final QuicIdentity identity;
  private final Clock clock;
  private final Set<String> hostPorts;
  private final Map<InetAddress, Integer> connectionsPerIp = new ConcurrentHashMap<>();
  private final Channel channel;

  QuicServer(EventLoopGroup group, InetSocketAddress address, QuicIdentity identity, QuicLimits limits,
             Map<String, QuicHandler> handlers, ExecutorService executor, Clock clock, Set<String> hostPorts)
      throws InterruptedException {
    this.limits = limits;
    this.executor = executor;
    this.handlers = Map.copyOf(handlers);
    this.identity = identity;
    this.clock = clock;
    this.hostPorts = hostPorts;
    QuicSslContext tls = QuicSslContextBuilder.forServer(identity.key(), null, identity.certificate())
        .trustManager(AnyCertificate.INSTANCE)
        .clientAuth(ClientAuth.REQUIRE)
        .applicationProtocols(this.handlers.keySet().toArray(String[]::new))
        .build();
    int streams = limits.maxStreamsPerConnection();
    var codec = new QuicServerCodecBuilder()
        .sslContext(tls)
        .maxIdleTimeout(limits.idleTimeoutSeconds(), TimeUnit.SECONDS)
        // Clients send only header lines; credit for a few over the limit lets those get a 429, not a stall.
        .initialMaxStreamsBidirectional(2L * streams)
        .initialMaxStreamsUnidirectional(0)
        .initialMaxStreamDataBidirectionalRemote(limits.maxHeaderBytes() + 1024L)
        .initialMaxData(2L * streams * (limits.maxHeaderBytes() + 1024L))
        .activeMigration(false)
        // No retry round trip: QUIC's 3x anti-amplification limit still holds before the address is validated.
        .tokenHandler(NO_RETRY)
        .option(QuicChannelOption.SEGMENTED_DATAGRAM_PACKET_ALLOCATOR, UdpTransport.segmentation())
        .handler(new ConnectionCounter())
        .streamOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
        .streamOption(ChannelOption.WRITE_BUFFER_WATER_MARK, ANSWER_BUFFER)
        .streamHandler(new ChannelInitializer<QuicStreamChannel>() {
          @Override
          protected void initChannel(QuicStreamChannel stream) {
            stream.pipeline().addLast(new RequestReader(QuicServer.this));
          }
        })
        .build();
    channel = UdpTransport.bootstrap(group).handler(codec)
        .bind(address).sync().channel();
  }

  int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  /** On the request's virtual thread: §5.0 auth, then the protocol's handler. */
  void serve(PeerConnection peer, ObjectNode header, StreamReply reply) {
    String alpn = peer.channel.sslEngine().getApplicationProtocol();
    QuicHandler handler = handlers.get(alpn);
    try {
      QuicPeer who = QuicPeer.ANONYMOUS;
      JsonNode auth = header.get("auth");
      if (auth != null && !auth.isNull()) {
        try {
          who = QuicAuth.verify(auth, clock, hostPorts, alpn, identity.fingerprint(), peer.clientCertificate());
        } catch (QuicAuth.Refused e) {
          reply.refuse(401, e.getMessage());
          return;
        }
      }
      handler.handle(new QuicRequest(alpn, header, who, peer.remote, peer.clientCertificate()), reply);
      if (!reply.answered()) reply.refuse(500, "the " + alpn + " handler gave no answer");
    } catch (Exception | Error e) {
      log.warn("{} handler failed", alpn, e);
      if (!reply.answered()) {
        reply.refuse(500, "internal error");
      } else {
        reply.reset();
      }
    }
  }

  /** Counts connections per IP; those past the limit are marked refused (their streams answer 429). */
  private final class ConnectionCounter extends ChannelInboundHandlerAdapter {
    @Override
    public boolean isSharable() {
      return true;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      QuicChannel quic = (QuicChannel) ctx.channel();
      InetAddress ip = ((InetSocketAddress) quic.remoteSocketAddress()).getAddress();
      int open = connectionsPerIp.merge(ip, 1, Integer::sum);
      boolean refused = open > limits.maxConnectionsPerIp();
      if (refused) connectionsPerIp.merge(ip, -1, QuicServer::sumOrNull);
      PeerConnection.attach(quic, refused);
      // A refused connection that never opens a stream still goes.
      if (refused) ctx.executor().schedule(() -> quic.close(), limits.headerTimeoutSeconds(), TimeUnit.SECONDS);
      ctx.fireChannelActive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      log.debug("QUIC connection from {}: {}", ctx.channel().remoteAddress(), cause.toString());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      QuicChannel quic = (QuicChannel) ctx.channel();
      PeerConnection peer = quic.attr(PeerConnection.KEY).get();
      if (peer != null && !peer.refused) connectionsPerIp.merge(peer.ip(), -1, QuicServer::sumOrNull);
      ctx.fireChannelInactive();
    }
  }

  private static Integer sumOrNull(int a, int b) {
    return a + b == 0 ? null : a + b;
  }

  @Override
  public void close() {
    channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
  }
}
