package archy.blossom;

import archy.hash.Blake3;
import archy.nostr.Hex;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Writes incoming bytes to a {@link BlobStorage.Sink} while computing sha256 and BLAKE3 in the same pass, in
 * constant memory whatever the blob's size. Bytes are gathered into 1 MiB slabs before hashing and writing:
 * network reads arrive in pieces of a few KiB, and both digests and the sink's writes are much faster on
 * large runs. The caller's thread hashes sha256 and writes each slab, and a second thread runs BLAKE3
 * over it meanwhile; with the two digests about equally fast this nearly halves the time per byte. Three
 * slabs circulate, so memory stays at 3 MiB per upload (plus what the sink buffers). The first bytes are
 * kept for type sniffing. Closing without {@link #finish} drops what the sink holds.
 */
final class BlobWriter implements AutoCloseable {
  static final int SNIFF_BYTES = 1024;
  private static final int BUFFER = 1 << 20;
  private static final int SLABS = 3;
  /** Tells the BLAKE3 thread that no more slabs follow. */
  private static final Slab END = new Slab(new byte[0], -1);

  private record Slab(byte[] bytes, int length) {}

  /** The finished bytes, staged in the storage but not yet named, and what they hold. */
  record Written(BlobStorage.Staged staged, String sha256, String blake3, long size, byte[] head) {}

  /** The bytes exceeded the size limit; nothing is kept. */
  static final class TooLarge extends IOException {
    TooLarge(long max) {
      super("blob exceeds " + max + " bytes");
    }
  }

  private final BlobStorage.Sink sink;
  private final long maxBytes;
  private final MessageDigest sha256;
  private final Blake3 blake3 = new Blake3();
  private final BlockingQueue<Slab> toHash = new ArrayBlockingQueue<>(SLABS);
  private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(SLABS);
  private final Thread hasher;
  private byte[] buffer = new byte[BUFFER];
  private final byte[] head = new byte[SNIFF_BYTES];
  private int buffered;
  private int headLen;
  private long size;
  private boolean finished;

  BlobWriter(BlobStorage.Sink sink, long maxBytes) {
    this.sink = sink;
    this.maxBytes = maxBytes;
    try {
      this.sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
    for (int i = 1; i < SLABS; i++) free.add(new byte[BUFFER]);
    this.hasher = Thread.ofVirtual().name("blob-blake3").start(this::hashSlabs);
  }

  private void hashSlabs() {
    try {
      for (Slab slab = toHash.take(); slab != END; slab = toHash.take()) {
        blake3.update(slab.bytes(), 0, slab.length());
        free.put(slab.bytes());
      }
    } catch (InterruptedException e) {
      // close() without finish(): the digest is not wanted.
    }
  }

  void write(ByteBuffer src) throws IOException {
    while (src.hasRemaining()) {
      int n = Math.min(src.remaining(), BUFFER - buffered);
      count(n);
      src.get(buffer, buffered, n);
      keepHead(buffered, n);
      buffered += n;
      if (buffered == BUFFER) flush();
    }
  }

  /** Reads {@code in} to its end. */
  void writeAll(InputStream in) throws IOException {
    while (true) {
      int n = in.read(buffer, buffered, BUFFER - buffered);
      if (n < 0) return;
      count(n);
      keepHead(buffered, n);
      buffered += n;
      if (buffered == BUFFER) flush();
    }
  }

  long size() {
    return size;
  }

  Written finish() throws IOException {
    flush();
    endHasher();
    BlobStorage.Staged staged = sink.finish();
    finished = true;
    return new Written(staged, Hex.encode(sha256.digest()), Hex.encode(blake3.digest()), size,
        Arrays.copyOf(head, headLen));
  }

  private void count(int n) throws TooLarge {
    size += n;
    if (size > maxBytes) throw new TooLarge(maxBytes);
  }

  private void keepHead(int from, int n) {
    if (headLen < SNIFF_BYTES) {
      int k = Math.min(n, SNIFF_BYTES - headLen);
      System.arraycopy(buffer, from, head, headLen, k);
      headLen += k;
    }
  }

  private void flush() throws IOException {
    if (buffered == 0) return;
    sha256.update(buffer, 0, buffered);
    sink.write(buffer, 0, buffered);
    try {
      toHash.put(new Slab(buffer, buffered));
      buffer = free.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("upload interrupted");
    }
    buffered = 0;
  }

  private void endHasher() throws InterruptedIOException {
    try {
      toHash.put(END);
      hasher.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("upload interrupted");
    }
  }

  @Override
  public void close() {
    if (finished) return;
    hasher.interrupt();
    sink.close();
  }
}
