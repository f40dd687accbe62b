package archy.quic;

import archy.nostr.Keys;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.quic.DefaultQuicStreamFrame;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicChannelOption;
import io.netty.handler.codec.quic.QuicClientCodecBuilder;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.AttributeKey;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Dials other nodes' QUIC protocols: one connection per target, kept and shared by concurrent requests, opened
 * with this node's certificate and checked against the target's pinned fingerprint before a byte is sent.
 * Blocking calls, for virtual threads and the scheduler (never a Netty event loop).
 */
public final class QuicClient implements AutoCloseable {
  /** Receive windows: what a peer may send before this side reads (bounds memory per stream and connection). */
  static final long STREAM_WINDOW = 4L << 20;
  static final long CONNECTION_WINDOW = 16L << 20;
  /** How long a request waits for the server to grant a stream (its streams-per-connection limit). */
  static final long STREAM_WAIT_NANOS = TimeUnit.SECONDS.toNanos(60);
  private static final AttributeKey<ReentrantLock> STREAM_TURN = AttributeKey.valueOf("archy.quic.stream-turn");

  private final Supplier<EventLoopGroup> group;
  private final QuicIdentity identity;
  private final Keys keys;
  private final Clock clock;
  private final int idleSeconds;
  /** One UDP socket per ALPN: the TLS context, and so the protocol offered, belongs to the codec. */
  private final Map<String, Channel> sockets = new ConcurrentHashMap<>();
  private final Map<QuicTarget, QuicChannel> connections = new ConcurrentHashMap<>();
  private volatile boolean closed;

  QuicClient(Supplier<EventLoopGroup> group, QuicIdentity identity, Keys keys, Clock clock, int idleSeconds) {
    this.group = group;
    this.identity = identity;
    this.keys = keys;
    this.clock = clock;
    this.idleSeconds = idleSeconds;
  }

  /**
   * Sends {@code header} as one line on a new stream, finishes it, and waits for the answer header.
   *
   * @param authenticate add the §5.0 {@code auth} event so the server knows this node's key
   * @throws QuicPinningException when the server's certificate is not the pinned one (nothing was sent)
   * @throws IOException when the server cannot be reached or answers no header within the idle timeout
   */
  public QuicResponse request(QuicTarget target, JsonNode header, boolean authenticate) throws IOException {
    ObjectNode line = header.deepCopy();
    if (authenticate) {
      line.set("auth", QuicStatus.JSON.readTree(QuicAuth.sign(keys, clock, target, identity.fingerprint()).json()));
    }
    byte[] bytes = (line.toString() + "\n").getBytes(StandardCharsets.UTF_8);
    if (bytes.length > ResponseReader.MAX_HEADER) throw new IOException("request header over 64 KiB");
    return send(target, bytes, true);
  }

  /** Writes {@code bytes} as they are (finishing the stream when {@code fin}) and waits for the answer header. */
  QuicResponse send(QuicTarget target, byte[] bytes, boolean fin) throws IOException {
    ResponseReader reader = new ResponseReader(idleSeconds);
    QuicStreamChannel stream = openStream(target, reader);
    stream.writeAndFlush(new DefaultQuicStreamFrame(Unpooled.wrappedBuffer(bytes), fin));
    stream.read();
    try {
      return new QuicResponse(reader.header.get(idleSeconds, TimeUnit.SECONDS), reader);
    } catch (ExecutionException e) {
      reader.stream().close();
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    } catch (TimeoutException e) {
      reader.stream().close();
      throw new IOException("no answer header from " + target.hostPort() + " within " + idleSeconds + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      reader.stream().close();
      throw new IOException("interrupted");
    }
  }

  private QuicStreamChannel openStream(QuicTarget target, ResponseReader reader) throws IOException {
    QuicChannel quic = connection(target);
    // When the server's stream credit is used up, wait for it to grant more (streams ending do), in turn.
    ReentrantLock turn = quic.attr(STREAM_TURN).setIfAbsent(new ReentrantLock(true));
    if (turn == null) turn = quic.attr(STREAM_TURN).get();
    long deadline = System.nanoTime() + STREAM_WAIT_NANOS;
    try {
      if (!turn.tryLock(STREAM_WAIT_NANOS, TimeUnit.NANOSECONDS)) {
        throw new IOException("no QUIC stream to " + target.hostPort() + " within 60 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    }
    try {
      return createStream(quic, target, reader, deadline);
    } finally {
      turn.unlock();
    }
  }

  private static QuicStreamChannel createStream(QuicChannel quic, QuicTarget target, ResponseReader reader,
                                                long deadline) throws IOException {
    while (true) {
      var created = quic.newStreamBootstrap().type(QuicStreamType.BIDIRECTIONAL)
          .option(ChannelOption.AUTO_READ, false)
          .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
          .handler(reader)
          .create().awaitUninterruptibly();
      if (created.isSuccess()) return created.getNow();
      if (!quic.isActive()) throw new IOException("QUIC connection to " + target.hostPort() + " closed", created.cause());
      if (System.nanoTime() > deadline) {
        throw new IOException("no QUIC stream to " + target.hostPort() + " within 60 s", created.cause());
      }
      sleep(20);
    }
  }

  private QuicChannel connection(QuicTarget target) throws IOException {
    if (closed) throw new IOException("the QUIC client is closed");
    QuicChannel known = connections.get(target);
    if (known != null && known.isActive()) return known;
    synchronized (this) {
      known = connections.get(target);
      if (known != null && known.isActive()) return known;
      QuicChannel fresh = connect(target);
      connections.put(target, fresh);
      return fresh;
    }
  }

  private QuicChannel connect(QuicTarget target) throws IOException {
    InetSocketAddress address = new InetSocketAddress(target.host(), target.port());
    if (address.isUnresolved()) throw new IOException("cannot resolve " + target.host());
    var connected = QuicChannel.newBootstrap(socket(target.alpn()))
        .option(QuicChannelOption.SEGMENTED_DATAGRAM_PACKET_ALLOCATOR, UdpTransport.segmentation())
        .handler(QuietConnection.INSTANCE)
        .streamHandler(new ChannelInboundHandlerAdapter())
        .remoteAddress(address)
        .connect().awaitUninterruptibly();
    if (!connected.isSuccess()) {
      throw new IOException("QUIC handshake with " + target.hostPort() + " (" + target.alpn() + ") failed: "
          + connected.cause().getMessage(), connected.cause());
    }
    QuicChannel quic = connected.getNow();
    String presented = serverCertificate(quic);
    if (!presented.equals(target.fingerprint())) {
      quic.close();
      throw new QuicPinningException(target, presented);
    }
    return quic;
  }

  private static String serverCertificate(QuicChannel quic) {
    try {
      Certificate[] chain = quic.sslEngine().getSession().getPeerCertificates();
      return chain.length > 0 && chain[0] instanceof X509Certificate x ? QuicIdentity.fingerprint(x) : "";
    } catch (SSLPeerUnverifiedException e) {
      return "";
    }
  }

  private Channel socket(String alpn) throws IOException {
    try {
      return sockets.computeIfAbsent(alpn, this::bind);
    } catch (IllegalStateException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  private Channel bind(String alpn) {
    QuicSslContext tls = QuicSslContextBuilder.forClient()
        .keyManager(identity.key(), null, identity.certificate())
        .trustManager(AnyCertificate.INSTANCE)
        .applicationProtocols(alpn)
        .build();
    var codec = new QuicClientCodecBuilder()
        .sslContext(tls)
        .maxIdleTimeout(idleSeconds, TimeUnit.SECONDS)
        .initialMaxData(CONNECTION_WINDOW)
        .initialMaxStreamDataBidirectionalLocal(STREAM_WINDOW)
        .initialMaxStreamsBidirectional(0)
        .initialMaxStreamsUnidirectional(0)
        .activeMigration(false)
        .build();
    try {
      return UdpTransport.bootstrap(group.get()).handler(codec)
          .bind(0).sync().channel();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while opening a UDP socket");
    }
  }

  private static void sleep(long millis) throws IOException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    }
  }

  @Override
  public void close() {
    closed = true;
    connections.values().forEach(QuicChannel::close);
    connections.clear();
    sockets.values().forEach(s -> s.close().awaitUninterruptibly(5, TimeUnit.SECONDS));
    sockets.clear();
  }
}
