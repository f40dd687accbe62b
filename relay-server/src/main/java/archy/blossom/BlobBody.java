package archy.blossom;

import archy.plugin.DeliveryMeter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.IteratingCallback;

/**
 * Streams a byte range of a blob file into a response without blocking a thread. Each piece is read with a
 * positional read into one pooled direct buffer of {@link DeliveryMeter#CHUNK}, which is refilled only after
 * Jetty finished writing it and goes back to the pool when the body ends, however it ends. The meter counts
 * every piece as it is handed over, so a client that goes away mid-body is charged for what it was handed,
 * rounded up to one chunk, never less. Small ranges are read into one heap buffer instead.
 *
 * <p>Why not memory maps: bodies used to go out of 8 MiB {@code FileChannel.map} regions, which are unmapped
 * only when a GC collects them, so a busy node held thousands of live maps and many GiB of mapped RSS between
 * collections and could reach the kernel's {@code vm.max_map_count}. Arena-scoped maps release deterministically
 * but are a preview API on Java 21, and Jetty 12.1 has no sendfile; a pooled buffer holds at most one chunk per
 * body in flight and costs one page-cache copy (docs/benchmarks.md, Blossom).
 */
final class BlobBody extends IteratingCallback {
  private static final long SMALL = 256L << 10;
  /** The connector's pool keeps buffers of up to 64 KiB only; this one keeps the bodies' 1 MiB buffers. */
  private static final ByteBufferPool POOL =
      new ArrayByteBufferPool(DeliveryMeter.CHUNK, DeliveryMeter.CHUNK, DeliveryMeter.CHUNK);

  private final FileChannel channel;
  private final Response response;
  private final long end;
  private final Callback done;
  private final DeliveryMeter meter;
  private long position;
  private RetainableByteBuffer pooled;

  /** @param meter counts each chunk as it is handed to Jetty and is ended when the body ends, however it ends */
  BlobBody(FileChannel channel, Response response, long first, long length, Callback done, DeliveryMeter meter) {
    this.channel = channel;
    this.response = response;
    this.position = first;
    this.end = first + length;
    this.done = done;
    this.meter = meter;
  }

  @Override
  protected Action process() throws IOException {
    if (position >= end) return Action.SUCCEEDED;
    long left = end - position;
    ByteBuffer chunk = left <= SMALL && pooled == null
        ? fill(ByteBuffer.allocate((int) left))
        : fill(pooledBuffer().clear().limit((int) Math.min(DeliveryMeter.CHUNK, left)));
    position += chunk.remaining();
    meter.handed(chunk.remaining());
    response.write(position >= end, chunk, this);
    return Action.SCHEDULED;
  }

  /** The body's one direct buffer: the previous write from it has completed when this is called again. */
  private ByteBuffer pooledBuffer() {
    if (pooled == null) pooled = POOL.acquire(DeliveryMeter.CHUNK, true);
    return pooled.getByteBuffer();
  }

  /** Reads the file from {@link #position} until {@code buffer} is full, then flips it. */
  private ByteBuffer fill(ByteBuffer buffer) throws IOException {
    long at = position;
    while (buffer.hasRemaining()) {
      int r = channel.read(buffer, at);
      if (r < 0) throw new IOException("blob file ended early");
      at += r;
    }
    return buffer.flip();
  }

  @Override
  protected void onCompleteSuccess() {
    end(null);
  }

  @Override
  protected void onCompleteFailure(Throwable cause) {
    end(cause);
  }

  private void end(Throwable failure) {
    if (pooled != null) {
      pooled.release();
      pooled = null;
    }
    try {
      channel.close();
    } catch (IOException ignored) {
      // Read-only: nothing to lose.
    }
    try {
      meter.end();
    } finally {
      if (failure == null) done.succeeded();
      else done.failed(failure);
    }
  }
}
