package archy.quic;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a client connection's pipeline: a failed handshake (wrong ALPN, a peer gone) is already reported to the
 * caller by the connect future, so it need not reach Netty's tail as an "unhandled exception" warning.
 */
@ChannelHandler.Sharable
final class QuietConnection extends ChannelInboundHandlerAdapter {
  static final QuietConnection INSTANCE = new QuietConnection();
  private static final Logger log = LoggerFactory.getLogger(QuietConnection.class);

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("QUIC connection {}: {}", ctx.channel().remoteAddress(), cause.toString());
  }
}
