package archy.quic;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.quic.EpollQuicUtils;
import io.netty.handler.codec.quic.SegmentedDatagramPacketAllocator;

/**
 * The UDP socket under both QUIC sides. On Linux it is epoll with segmentation offload (GSO): quiche's packets
 * for one peer leave in one {@code sendmsg} of up to {@link #SEGMENTS} packets, so the kernel's UDP send path and
 * Netty's pipeline are paid once per batch rather than once per ~1,350 bytes (about 2x on loopback, see
 * docs/benchmarks.md). Elsewhere, NIO with one datagram per packet. Receive-side coalescing (UDP GRO) is left
 * off: with Netty 4.2.18's QUIC codec it measured ~10 MiB/s, a tenth of GSO alone.
 */
final class UdpTransport {
  /** Packets per GSO send; 32 measured no faster than 16 on loopback. */
  static final int SEGMENTS = 16;
  /** Socket buffers: a burst of GSO batches must not overflow the receiver's queue (a drop costs a recovery). */
  static final int SOCKET_BUFFER = 4 << 20;

  private UdpTransport() {}

  static EventLoopGroup group(int threads) {
    return new MultiThreadIoEventLoopGroup(threads, Thread.ofPlatform().name("archy-quic-io-", 0).daemon().factory(),
        Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
  }

  /** How a connection batches its packets into one send ({@link SegmentedDatagramPacketAllocator#NONE}: it does not). */
  static SegmentedDatagramPacketAllocator segmentation() {
    return Epoll.isAvailable() && EpollDatagramChannel.isSegmentedDatagramPacketSupported()
        ? EpollQuicUtils.newSegmentedAllocator(SEGMENTS) : SegmentedDatagramPacketAllocator.NONE;
  }

  static Bootstrap bootstrap(EventLoopGroup group) {
    return new Bootstrap().group(group)
        .channel(Epoll.isAvailable() ? EpollDatagramChannel.class : NioDatagramChannel.class)
        .option(ChannelOption.SO_RCVBUF, SOCKET_BUFFER)
        .option(ChannelOption.SO_SNDBUF, SOCKET_BUFFER);
  }
}
