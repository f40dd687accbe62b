package archy.film.fetch;

import archy.io.BlockInputStream;
import archy.plugin.BlobInfo;
import archy.plugin.BlobSource;
import archy.plugin.Blobs;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Hands the bytes one fetch streams into the store to readers as they arrive (relay-bandwidth passing a blob on
 * while it fetches it, issue 14). The first source that opens with a known size is copied, chunk by chunk as the
 * store takes it, into an unlinked spill file that every reader reads at its own pace ({@link #incoming}): so the
 * store never waits for a slow requester (nor does a second requester of the same blob wait for the first: both
 * read the one fetch), a reader waits only for bytes not yet arrived, and memory holds no more than a chunk. A
 * reader's end of stream comes only once the store has committed the blob; when the store refuses it (a hash
 * mismatch, a body shorter or longer than announced) or the source breaks off, readers get an {@link IOException}
 * instead, so none takes unverified bytes for a whole blob. {@link #NONE} passes every source through untouched.
 * A source without a size (an HTTP answer with no Content-Length) is only stored; readers then get the held blob.
 */
final class Tee {
  static final Tee NONE = new Tee(false);
  /**
   * Bytes gathered before they go to the spill file and readers are woken: a QUIC source is read a frame (about a
   * packet) at a time, and a write and a wake-up per frame cost more than the copy.
   */
  static final int BATCH = 256 * 1024;

  private final boolean active;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private FileChannel spill;
  private long size = -1;
  private long written;
  private int readers;
  /** The claiming source's stream ended: committed ({@code failure} null) or failed. */
  private boolean ended;
  private String failure;
  /** The whole fetch is over: {@code result} is the blob, or {@code error} why there is none. */
  private boolean over;
  private BlobInfo result;
  private IOException error;

  private Tee(boolean active) {
    this.active = active;
  }

  /** A tee for one fetch that readers will join. */
  static Tee forReaders() {
    return new Tee(true);
  }

  /**
   * Stores {@code source} (whose opener calls {@link #open}) and then ends the readers' stream when this source
   * claimed it: at its end when the blob was committed, with an error otherwise.
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

  /** In a source's opener: {@code upstream}, copied to the readers when this source is the first with a size. */
  InputStream open(InputStream upstream, long announcedSize) throws IOException {
    if (!active || announcedSize < 0) return upstream;
    FileChannel file;
    lock.lock();
    try {
      if (size >= 0) return upstream;
      Path path = Files.createTempFile("archy-relay-", ".part");
      file = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
      Files.delete(path); // only the channel refers to it: nothing is left behind, whatever happens
      spill = file;
      size = announcedSize;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    return new BlockInputStream() {
      private final ByteBuffer batch = ByteBuffer.allocate(BATCH);

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n = upstream.read(b, off, len);
        for (int at = 0; at < n; ) {
          int k = Math.min(n - at, batch.remaining());
          batch.put(b, off + at, k);
          at += k;
          if (!batch.hasRemaining()) put(file, batch);
        }
        if (n < 0 && batch.position() > 0) put(file, batch);
        return n;
      }

      @Override
      public void close() throws IOException {
        try {
          if (batch.position() > 0) put(file, batch);
        } finally {
          upstream.close();
        }
      }
    };
  }

  /** Appends {@code batch} (then empties it) to the spill file and wakes the readers. */
  private void put(FileChannel file, ByteBuffer batch) throws IOException {
    int len = batch.flip().remaining();
    if (written + len > size) {
      end("the relay's upstream sent more than the " + size + " bytes it announced");
      throw new IOException("the source sent more than the " + size + " bytes it announced");
    }
    for (long at = written; batch.hasRemaining(); ) at += file.write(batch, at);
    batch.clear();
    lock.lock();
    try {
      written += len;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** The store's verdict on the claiming source (once: a later source's store is not the readers'). */
  private void end(String failed) {
    lock.lock();
    try {
      if (size < 0 || ended) return;
      ended = true;
      failure = failed;
      changed.signalAll();
      closeSpillIfUnread();
    } finally {
      lock.unlock();
    }
  }

  /** The fetch is over: with the blob, or (null) with {@code e}. */
  void over(BlobInfo blob, IOException e) {
    lock.lock();
    try {
      over = true;
      result = blob;
      error = e;
      if (size >= 0 && !ended) {
        ended = true;
        failure = e != null ? e.getMessage() : "the fetch ended";
      }
      changed.signalAll();
      closeSpillIfUnread();
    } finally {
      lock.unlock();
    }
  }

  private void closeSpillIfUnread() {
    if (!ended || readers > 0 || spill == null) return;
    try {
      spill.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Joins the fetch: its bytes from the first while a source streams them, else (once the fetch is over) the blob
   * it stored. Waits until one or the other is known.
   *
   * @throws IOException when the fetch found no source that served the blob
   */
  BlobFetcher.Incoming incoming() throws IOException {
    lock.lock();
    try {
      while (!(size >= 0 && !ended) && !over) changed.awaitUninterruptibly();
      if (size >= 0 && !ended) {
        readers++;
        return new BlobFetcher.Incoming.Arriving(size, new Reader());
      }
      if (error != null) throw new IOException(error.getMessage(), error);
      return new BlobFetcher.Incoming.Held(result);
    } finally {
      lock.unlock();
    }
  }

  private final class Reader extends BlockInputStream {
    private long position;
    private boolean closed;

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) return 0;
      long available;
      lock.lock();
      try {
        while (position == written && !ended && !closed) changed.awaitUninterruptibly();
        if (closed) throw new IOException("closed");
        // A failed blob is cut off at once: what arrived and was not read yet is never passed on.
        if (ended && failure != null) throw new IOException(failure);
        if (position == written) return -1;
        available = written - position;
      } finally {
        lock.unlock();
      }
      // Positional reads of bytes already written: the spill stays open while this reader is registered.
      int n = spill.read(ByteBuffer.wrap(b, off, (int) Math.min(len, available)), position);
      if (n < 0) throw new IOException("the spill file ended early");
      position += n;
      return n;
    }

    @Override
    public void close() {
      lock.lock();
      try {
        if (closed) return;
        closed = true;
        readers--;
        closeSpillIfUnread();
      } finally {
        lock.unlock();
      }
    }
  }
}
