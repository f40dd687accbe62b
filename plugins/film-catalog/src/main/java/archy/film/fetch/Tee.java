package archy.film.fetch;

import archy.io.BlockInputStream;
import archy.plugin.BlobSource;
import archy.plugin.Blobs;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Hands the bytes one fetch streams into the store to a second reader as they arrive (relay-bandwidth passing a
 * blob on while it fetches it, issue 14): the store and the reader see each chunk once, through a bounded buffer,
 * so the faster side waits for the slower and at most {@link #CAPACITY} bytes sit between them. The first source
 * that opens with a known size claims the reader (a source without one, an HTTP answer with no Content-Length, is
 * only stored); the reader's end of stream comes only once the store has committed the blob, and when the store
 * refuses it (a hash mismatch, a short or long body) or the source fails, the reader gets an {@link IOException}
 * instead, so it never takes unverified bytes for a whole blob. A reader that closes early only detaches: the
 * store goes on to the end. {@link #NONE} passes every source through untouched.
 */
final class Tee {
  static final int CAPACITY = 4 << 20;
  static final Tee NONE = new Tee(null);

  /** Completed with the reader when a source claims it; null for {@link #NONE}. */
  private final CompletableFuture<BlobFetcher.Incoming> claimed;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final byte[] ring;
  private int head;
  private int count;
  private long size = -1;
  private long written;
  /** The reader will take no more: it closed, or the stream ended (committed or failed). */
  private boolean detached;
  private boolean ended;
  private String failure;

  Tee(CompletableFuture<BlobFetcher.Incoming> claimed) {
    this.claimed = claimed;
    this.ring = claimed == null ? null : new byte[CAPACITY];
  }

  /**
   * Stores {@code source} (whose opener calls {@link #open}) and then ends the reader's stream: at its end when the
   * blob was committed, with an error otherwise. Does nothing to a reader another source claimed.
   */
  Blobs.StoreResult store(Blobs blobs, BlobSource source, long maxBytes) throws IOException {
    try {
      Blobs.StoreResult result = blobs.store(source, maxBytes);
      switch (result) {
        case Blobs.StoreResult.Stored stored -> end(written == size ? null : "the source sent " + written
            + " bytes of the " + size + " it announced");
        case Blobs.StoreResult.Refused refused -> end("the relay's upstream sent other bytes: " + refused.reason());
      }
      return result;
    } catch (IOException | RuntimeException e) {
      end("the relay's upstream failed: " + e.getMessage());
      throw e;
    }
  }

  /** In a source's opener: {@code upstream}, copied to the reader when this source is the first with a size. */
  InputStream open(InputStream upstream, long announcedSize) {
    if (claimed == null || announcedSize < 0) return upstream;
    lock.lock();
    try {
      if (size >= 0 || ended) return upstream;
      size = announcedSize;
    } finally {
      lock.unlock();
    }
    claimed.complete(new BlobFetcher.Incoming.Arriving(announcedSize, new Reader()));
    return new BlockInputStream() {
      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n = upstream.read(b, off, len);
        if (n > 0) put(b, off, n);
        return n;
      }

      @Override
      public void close() throws IOException {
        upstream.close();
      }
    };
  }

  private void put(byte[] b, int off, int len) throws IOException {
    lock.lock();
    try {
      written += len;
      if (written > size) {
        finish("the relay's upstream sent more than the " + size + " bytes it announced");
        throw new IOException("the source sent more than the " + size + " bytes it announced");
      }
      while (len > 0 && !detached) {
        while (count == ring.length && !detached) changed.awaitUninterruptibly();
        if (detached) break;
        int tail = (head + count) % ring.length;
        int n = Math.min(len, Math.min(ring.length - count, ring.length - tail));
        System.arraycopy(b, off, ring, tail, n);
        count += n;
        off += n;
        len -= n;
        changed.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /** The store's verdict on the claiming source (once: a later source's store is not the reader's). */
  private void end(String failed) {
    lock.lock();
    try {
      if (size >= 0 && !ended) finish(failed);
    } finally {
      lock.unlock();
    }
  }

  private void finish(String failed) {
    ended = true;
    failure = failed;
    changed.signalAll();
  }

  /**
   * The fetch ended without a source claiming the reader (it was held already, stored by a source of unknown size,
   * or failed): later sources are not passed on.
   */
  void close() {
    if (claimed == null) return;
    lock.lock();
    try {
      if (!ended) finish("the fetch ended");
    } finally {
      lock.unlock();
    }
  }

  private final class Reader extends BlockInputStream {
    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) return 0;
      lock.lock();
      try {
        while (count == 0 && !ended && !detached) changed.awaitUninterruptibly();
        if (detached) throw new IOException("closed");
        // A failed blob is cut off at once: what is still buffered is never passed on.
        if (failure != null) throw new IOException(failure);
        if (count == 0) return -1;
        int n = Math.min(len, Math.min(count, ring.length - head));
        System.arraycopy(ring, head, b, off, n);
        head = (head + n) % ring.length;
        count -= n;
        changed.signalAll();
        return n;
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void close() {
      lock.lock();
      try {
        detached = true;
        count = 0;
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }
}
