package archy.quic;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.quic.QuicStreamChannel;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The client side of one request stream, with {@code AUTO_READ} off: the event loop reads only while fewer than
 * {@link #HIGH_WATER} bytes of buffers wait for the consumer, so an unread body stays in QUIC's flow-control window and
 * the sender waits. The header line completes {@link #header}; the rest becomes {@link #stream()}.
 */
final class ResponseReader extends ChannelInboundHandlerAdapter {
  static final int HIGH_WATER = 1024 * 1024;
  static final int MAX_HEADER = 65_536;

  final CompletableFuture<JsonNode> header = new CompletableFuture<>();
  private final long idleNanos;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition arrived = lock.newCondition();
  /** Guarded by {@link #lock}. */
  private final ArrayDeque<ByteBuf> chunks = new ArrayDeque<>();
  private long buffered;
  private boolean ended;
  private IOException failure;
  private boolean paused;
  private boolean closed;
  /** Event loop only. */
  private byte[] headerBytes = new byte[512];
  private int headerLength;
  private volatile QuicStreamChannel channel;
  private final Body body = new Body();

  ResponseReader(long idleSeconds) {
    this.idleNanos = TimeUnit.SECONDS.toNanos(idleSeconds);
  }

  Body stream() {
    return body;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    channel = (QuicStreamChannel) ctx.channel();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf in = (ByteBuf) msg;
    if (!header.isDone() && !readHeader(in)) {
      in.release();
      return;
    }
    if (!in.isReadable()) {
      in.release();
      return;
    }
    lock.lock();
    try {
      if (closed) {
        in.release();
        return;
      }
      chunks.add(in);
      // Count capacity, not content: a read buffer is sized by Netty's guess and may be mostly empty.
      buffered += in.capacity();
      arrived.signalAll();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    lock.lock();
    try {
      paused = buffered >= HIGH_WATER || closed;
    } finally {
      lock.unlock();
    }
    if (!paused) ctx.read();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof ChannelInputShutdownEvent) end(null);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    end(new IOException("the QUIC stream was reset or its connection closed"));
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    end(new IOException("QUIC stream failed: " + cause.getMessage(), cause));
    ctx.close();
  }

  /** True once the header is complete; {@code in} is then positioned at the first body byte. */
  private boolean readHeader(ByteBuf in) {
    while (in.isReadable()) {
      byte b = in.readByte();
      if (b == '\n') {
        try {
          header.complete(QuicStatus.JSON.readTree(Arrays.copyOf(headerBytes, headerLength)));
        } catch (IOException e) {
          header.completeExceptionally(new IOException("the answer header is not JSON"));
        }
        headerBytes = null;
        return true;
      }
      if (headerLength == MAX_HEADER) {
        header.completeExceptionally(new IOException("the answer header is over 64 KiB"));
        channel.close();
        return false;
      }
      if (headerLength == headerBytes.length) headerBytes = Arrays.copyOf(headerBytes, headerLength * 2);
      headerBytes[headerLength++] = b;
    }
    return false;
  }

  private void end(IOException error) {
    if (!header.isDone()) {
      header.completeExceptionally(error != null ? error : new IOException("the stream ended before the answer header"));
    }
    lock.lock();
    try {
      if (ended) return;
      ended = true;
      failure = error;
      arrived.signalAll();
    } finally {
      lock.unlock();
    }
  }

  final class Body extends InputStream {
    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] into, int off, int len) throws IOException {
      if (len == 0) return 0;
      boolean resume;
      int n;
      lock.lock();
      try {
        long left = idleNanos;
        while (chunks.isEmpty() && !ended && !closed) {
          if (left <= 0) throw new IOException("no answer data for " + TimeUnit.NANOSECONDS.toSeconds(idleNanos) + " s");
          left = arrived.awaitNanos(left);
        }
        if (closed) throw new IOException("the answer was closed");
        if (chunks.isEmpty()) {
          if (failure != null) throw failure;
          return -1;
        }
        ByteBuf first = chunks.peek();
        n = Math.min(len, first.readableBytes());
        first.readBytes(into, off, n);
        if (!first.isReadable()) {
          buffered -= first.capacity();
          chunks.poll().release();
        }
        resume = paused && buffered < HIGH_WATER / 2;
        if (resume) paused = false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted");
      } finally {
        lock.unlock();
      }
      if (resume) channel.eventLoop().execute(channel::read);
      return n;
    }

    @Override
    public void close() {
      boolean early;
      lock.lock();
      try {
        if (closed) return;
        closed = true;
        early = !ended;
        chunks.forEach(ByteBuf::release);
        chunks.clear();
        buffered = 0;
        arrived.signalAll();
      } finally {
        lock.unlock();
      }
      // Stop the server sending what nobody will read (STOP_SENDING / RESET_STREAM).
      if (early && channel != null && channel.isActive()) channel.shutdown(QuicStatus.RESET_CODE);
    }
  }
}
