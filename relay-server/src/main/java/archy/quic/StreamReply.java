package archy.quic;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.quic.DefaultQuicStreamFrame;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamFrame;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link QuicReply} on one server stream, driven from the handler's virtual thread. A QUIC stream's
 * {@code isWritable()} follows quiche's send capacity, but writes from another thread first wait as tasks in
 * the event loop's queue, which no writability counts; so the writer also keeps at most {@link #IN_FLIGHT}
 * bytes handed over and not yet taken by the stream. The event loop wakes it on each completed write, on
 * {@code channelWritabilityChanged} and on close.
 *
 * <p>An unwritable stream still gets one chunk in flight rather than none. The likely cause of the 30 s stalls
 * of 100 concurrent GETs (docs/benchmarks.md): Netty 4.2.18 marks a stream unwritable when a write used its
 * capacity up, and marks it writable again only for streams quiche lists as writable, which a write that fitted
 * may never make it list; a writer waiting for writability alone could then wait forever. One chunk either goes
 * through (the capacity came back) or is queued by Netty, which blocks the stream in quiche and so brings the event.
 */
final class StreamReply implements QuicReply {
  private static final Logger log = LoggerFactory.getLogger(StreamReply.class);
  static final int CHUNK = 64 * 1024;
  static final long IN_FLIGHT = 1024 * 1024;

  private final QuicStreamChannel channel;
  private final long stallNanos;
  private final Runnable onFinished;
  private final AtomicBoolean answered = new AtomicBoolean();
  private final AtomicBoolean finished = new AtomicBoolean();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition writable = lock.newCondition();
  private final AtomicLong inFlight = new AtomicLong();

  StreamReply(QuicStreamChannel channel, long stallSeconds, Runnable onFinished) {
    this.channel = channel;
    this.stallNanos = TimeUnit.SECONDS.toNanos(stallSeconds);
    this.onFinished = onFinished;
  }

  /** Called by the event loop when writability changes or the stream closes. */
  void wake() {
    lock.lock();
    try {
      writable.signalAll();
    } finally {
      lock.unlock();
    }
  }

  QuicStreamChannel channel() {
    return channel;
  }

  boolean answered() {
    return answered.get();
  }

  @Override
  public void answer(JsonNode header) {
    claim();
    channel.writeAndFlush(new DefaultQuicStreamFrame(line(header), true)).addListener(f -> finish());
  }

  @Override
  public Sent stream(JsonNode header, InputStream body) {
    claim();
    AtomicLong accepted = new AtomicLong();
    ChannelFuture last = channel.writeAndFlush(line(header));
    boolean complete = false;
    try (body) {
      while (true) {
        if (!awaitWritable()) break;
        ByteBuf chunk = channel.alloc().buffer(CHUNK);
        int n;
        try {
          n = chunk.writeBytes(body, CHUNK);
        } catch (IOException | RuntimeException e) {
          chunk.release();
          throw e;
        }
        if (n < 0) {
          chunk.release();
          last = channel.writeAndFlush(QuicStreamFrame.EMPTY_FIN);
          complete = true;
          break;
        }
        inFlight.addAndGet(n);
        last = channel.writeAndFlush(chunk);
        last.addListener(f -> {
          if (f.isSuccess()) accepted.addAndGet(n);
          inFlight.addAndGet(-n);
          wake();
        });
      }
    } catch (IOException | RuntimeException e) {
      log.debug("answer body failed on stream {}: {}", channel.streamId(), e.toString());
    }
    // The count is final once the last write has been handed over (listeners run in write order).
    last.awaitUninterruptibly(stallNanos, TimeUnit.NANOSECONDS);
    complete &= last.isSuccess();
    if (complete) {
      finish();
    } else {
      reset();
    }
    return new Sent(accepted.get(), complete);
  }

  @Override
  public void reset() {
    answered.set(true);
    if (channel.isActive()) channel.shutdown(QuicStatus.RESET_CODE);
    finish();
  }

  private void claim() {
    if (!answered.compareAndSet(false, true)) throw new IllegalStateException("the stream was answered already");
  }

  /** False when the stream closed or the peer read nothing for the stall timeout. */
  private boolean awaitWritable() {
    lock.lock();
    try {
      long left = stallNanos;
      while (channel.isActive() && inFlight.get() >= (channel.isWritable() ? IN_FLIGHT : 1)) {
        if (left <= 0) {
          log.debug("stream {} stalled: the peer stopped reading", channel.streamId());
          return false;
        }
        left = writable.awaitNanos(left);
      }
      return channel.isActive();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } finally {
      lock.unlock();
    }
  }

  private void finish() {
    if (finished.compareAndSet(false, true)) onFinished.run();
  }

  static ByteBuf line(JsonNode header) {
    return Unpooled.wrappedBuffer((header.toString() + "\n").getBytes(StandardCharsets.UTF_8));
  }
}
