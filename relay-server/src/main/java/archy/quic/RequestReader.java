package archy.quic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request stream on the server: collects the header line on the event loop (at most
 * {@code max_header_bytes}, then the client's FIN, within {@code header_timeout_seconds}), and hands the parsed
 * request to its protocol's handler on a virtual thread. Every refusal is a §5 answer, never a silent close.
 */
final class RequestReader extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(RequestReader.class);

  private final QuicServer server;
  private byte[] header = new byte[1024];
  private int length;
  private int newlineAt = -1;
  private boolean reading = true;
  private ScheduledFuture<?> timeout;
  private StreamReply reply;
  private PeerConnection peer;
  private final AtomicBoolean slotHeld = new AtomicBoolean();

  RequestReader(QuicServer server) {
    this.server = server;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    QuicStreamChannel stream = (QuicStreamChannel) ctx.channel();
    peer = PeerConnection.of(stream.parent());
    reply = new StreamReply(stream, server.limits.idleTimeoutSeconds(), this::releaseSlot);
    if (peer.refused) {
      refuse(QuicStatus.busy(server.limits.idleTimeoutSeconds(),
          "more than " + server.limits.maxConnectionsPerIp() + " connections from your address"));
      return;
    }
    if (!peer.enter(server.limits.maxStreamsPerConnection())) {
      refuse(QuicStatus.busy(1, "more than " + server.limits.maxStreamsPerConnection() + " streams at once on one connection"));
      return;
    }
    slotHeld.set(true);
    timeout = ctx.executor().schedule(() -> refuse(QuicStatus.error(400,
        "no complete header and end of stream within " + server.limits.headerTimeoutSeconds() + " s")),
        server.limits.headerTimeoutSeconds(), TimeUnit.SECONDS);
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (!reading || !(msg instanceof ByteBuf in) || !in.isReadable()) return;
      if (newlineAt >= 0) {
        refuse(QuicStatus.error(400, "nothing may follow the header line"));
        return;
      }
      int max = server.limits.maxHeaderBytes();
      int take = Math.min(in.readableBytes(), max + 1 - length);
      ensureRoom(take);
      in.readBytes(header, length, take);
      int from = length;
      length += take;
      for (int i = from; i < length; i++) {
        if (header[i] == '\n') {
          newlineAt = i;
          break;
        }
      }
      if (newlineAt < 0 ? length >= max : newlineAt + 1 > max) {
        refuse(QuicStatus.error(400, "header over " + max + " bytes"));
      } else if (newlineAt >= 0 && (newlineAt != length - 1 || in.isReadable())) {
        refuse(QuicStatus.error(400, "nothing may follow the header line"));
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof ChannelInputShutdownEvent && reading) {
      if (newlineAt < 0) {
        refuse(QuicStatus.error(400, "the stream ended before the header line's \\n"));
      } else {
        dispatch();
      }
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    reply.wake();
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    stopReading();
    if (reply != null) reply.wake();
    releaseSlot();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("QUIC stream from {} failed: {}", peer == null ? "?" : peer.remote, cause.toString());
    ctx.close();
  }

  private void dispatch() {
    byte[] line = Arrays.copyOf(header, newlineAt);
    stopReading();
    server.executor.execute(() -> serve(line));
  }

  /** On the handler's virtual thread. */
  private void serve(byte[] line) {
    ObjectNode request;
    try {
      JsonNode parsed = QuicStatus.JSON.readTree(line);
      if (parsed == null || !parsed.isObject()) {
        reply.refuse(400, "the header must be a JSON object");
        return;
      }
      request = (ObjectNode) parsed;
    } catch (IOException e) {
      reply.refuse(400, "the header is not JSON");
      return;
    }
    server.serve(peer, request, reply);
  }

  private void refuse(ObjectNode answer) {
    if (!reading) return;
    stopReading();
    reply.answer(answer);
    QuicStreamChannel stream = reply.channel();
    // Tell the client to stop sending (STOP_SENDING); the answer still goes out.
    stream.shutdownInput(QuicStatus.RESET_CODE);
    if (peer.refused) stream.eventLoop().schedule(() -> peer.channel.close(), 1, TimeUnit.SECONDS);
  }

  private void stopReading() {
    reading = false;
    if (timeout != null) timeout.cancel(false);
    header = null;
  }

  private void releaseSlot() {
    if (slotHeld.compareAndSet(true, false)) peer.exit();
  }

  private void ensureRoom(int more) {
    if (length + more > header.length) header = Arrays.copyOf(header, Math.max(header.length * 2, length + more));
  }
}
