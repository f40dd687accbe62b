package archy.blossom;

import archy.plugin.DeliveryMeter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.IteratingCallback;

/**
 * Streams a byte range of a blob file into a response without blocking a thread. Jetty 12 has no
 * sendfile, so large ranges go out of memory-mapped regions (8 MiB): the socket write copies straight from
 * the page cache, with no copy through the Java heap, which is what makes a single connection reach the
 * machine's loopback ceiling. Each region is handed to Jetty in views of {@link DeliveryMeter#CHUNK} and the
 * meter counts every view as it is handed over, so a client that goes away mid-body is charged for what it
 * was handed, rounded up to one chunk, never less. Small ranges are read into one heap buffer instead:
 * mapping has a fixed cost and mappings are only released by the GC.
 */
final class BlobBody extends IteratingCallback {
  private static final long REGION = 8L << 20;
  private static final long SMALL = 256L << 10;

  private final FileChannel channel;
  private final Response response;
  private final long end;
  private final Callback done;
  private final DeliveryMeter meter;
  private long position;
  private MappedByteBuffer region;
  private long regionStart;

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
    ByteBuffer chunk = left <= SMALL && region == null ? read(left) : mappedChunk();
    position += chunk.remaining();
    meter.handed(chunk.remaining());
    response.write(position >= end, chunk, this);
    return Action.SCHEDULED;
  }

  /** The next view of at most one chunk, mapping the next region when the current one is used up. */
  private ByteBuffer mappedChunk() throws IOException {
    if (region == null || position >= regionStart + region.capacity()) {
      regionStart = position;
      region = channel.map(FileChannel.MapMode.READ_ONLY, position, Math.min(REGION, end - position));
    }
    int at = (int) (position - regionStart);
    int n = (int) Math.min(DeliveryMeter.CHUNK, region.capacity() - at);
    return region.slice(at, n);
  }

  private ByteBuffer read(long n) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate((int) n);
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
    region = null;
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
