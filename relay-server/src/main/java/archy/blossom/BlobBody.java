package archy.blossom;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.function.LongConsumer;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.IteratingCallback;

/**
 * Streams a byte range of a blob file into a response without blocking a thread. Jetty 12 has no
 * sendfile, so large ranges go out as memory-mapped slices: the socket write copies straight from the
 * page cache, with no copy through the Java heap, which is what makes a single connection reach the
 * machine's loopback ceiling. Slices (8 MiB) rather than one mapping keep the count of bytes actually
 * sent accurate to a slice when a client goes away, for metering. Small ranges are read into one heap
 * buffer instead: mapping has a fixed cost and mappings are only released by the GC.
 */
final class BlobBody extends IteratingCallback {
  private static final long SLICE = 8L << 20;
  private static final long SMALL = 256L << 10;

  private final FileChannel channel;
  private final Response response;
  private final long end;
  private final Callback done;
  private final LongConsumer onEnd;
  private long position;
  private long pending;
  private long sent;

  /**
   * @param onEnd told the bytes sent when the body ends, successfully or not
   */
  BlobBody(FileChannel channel, Response response, long first, long length, Callback done, LongConsumer onEnd) {
    this.channel = channel;
    this.response = response;
    this.position = first;
    this.end = first + length;
    this.done = done;
    this.onEnd = onEnd;
  }

  @Override
  protected Action process() throws IOException {
    if (position >= end) return Action.SUCCEEDED;
    long n = Math.min(SLICE, end - position);
    ByteBuffer slice = n <= SMALL ? read(n) : channel.map(FileChannel.MapMode.READ_ONLY, position, n);
    position += n;
    pending = n;
    response.write(position >= end, slice, this);
    return Action.SCHEDULED;
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
  protected void onSuccess() {
    sent += pending;
    pending = 0;
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
    try {
      channel.close();
    } catch (IOException ignored) {
      // Read-only: nothing to lose.
    }
    onEnd.accept(sent);
    if (failure == null) done.succeeded();
    else done.failed(failure);
  }
}
