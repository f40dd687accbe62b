package archy.blossom;

import archy.nostr.Hex;
import archy.nostr.Nip19;
import archy.plugin.BlobInfo;
import archy.plugin.BlobSource;
import archy.plugin.Blobs.StoreResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Blob files plus their index rows, kept consistent: the file is in place before its row is committed,
 * and a row is gone before its file is unlinked. Work on one hash (commit, last-claim delete, prune) is
 * serialized by a lock striped by hash, so an upload racing a delete of the same bytes cannot end with a
 * row whose file was just removed. (Processes sharing a blob directory do not share these locks; see
 * docs/blossom.md.)
 */
public final class BlobStore {
  private static final Logger log = LoggerFactory.getLogger(BlobStore.class);
  private static final int STRIPES = 64;

  private final BlobFiles files;
  private final BlobIndex index;
  private final Clock clock;
  private final ReentrantLock[] locks = new ReentrantLock[STRIPES];

  private final BlossomMetrics metrics;

  BlobStore(BlobFiles files, BlobIndex index, Clock clock, BlossomMetrics metrics) {
    this.metrics = metrics;
    this.files = files;
    this.index = index;
    this.clock = clock;
    for (int i = 0; i < STRIPES; i++) locks[i] = new ReentrantLock();
  }

  BlobIndex index() {
    return index;
  }

  public Optional<BlobInfo> bySha256(String sha256) {
    if (!Hex.isLowerHex(sha256, 64)) return Optional.empty();
    return index.bySha256(sha256).filter(b -> files.exists(b.sha256()));
  }

  public Optional<BlobInfo> byBlake3(String blake3) {
    if (!Hex.isLowerHex(blake3, 64)) return Optional.empty();
    return index.byBlake3(blake3).filter(b -> files.exists(b.sha256()));
  }

  BlossomMetrics metrics() {
    return metrics;
  }

  /** The blob's file for reading; the caller closes it. */
  FileChannel channel(BlobInfo blob) throws IOException {
    return FileChannel.open(files.path(blob.sha256()), StandardOpenOption.READ);
  }

  public InputStream open(BlobInfo blob, long offset, long length) throws IOException {
    long start = Math.max(0, Math.min(offset, blob.size()));
    long end = Math.min(blob.size(), start + Math.max(0, length));
    return new RangeStream(channel(blob), start, end);
  }

  public StoreResult store(BlobSource source, long maxBytes) throws IOException {
    BlobWriter.Written written;
    try (InputStream in = source.opener().open(); BlobWriter writer = newWriter(maxBytes)) {
      writer.writeAll(in);
      written = writer.finish();
    } catch (BlobWriter.TooLarge e) {
      return new StoreResult.Refused(e.getMessage());
    }
    String mismatch = source.sha256() != null && !source.sha256().equals(written.sha256()) ? "sha256"
        : source.blake3() != null && !source.blake3().equals(written.blake3()) ? "blake3" : null;
    if (mismatch != null) {
      discard(written);
      return new StoreResult.Refused("the bytes do not match the expected " + mismatch);
    }
    String type = source.type() != null ? MediaTypes.normalize(source.type())
        : MediaTypes.sniff(MediaTypes.OCTET_STREAM, written.head());
    return commit(written, type, source.owner());
  }

  BlobWriter newWriter(long maxBytes) throws IOException {
    return new BlobWriter(files.newTemp(), maxBytes);
  }

  /** Names the written file and indexes it (with {@code owner}'s claim when given). */
  StoreResult.Stored commit(BlobWriter.Written written, String type, String owner) throws IOException {
    ReentrantLock lock = lockFor(written.sha256());
    lock.lock();
    try {
      files.commit(written.temp(), written.sha256());
      long now = clock.instant().getEpochSecond();
      boolean created = index.record(new BlobInfo(written.sha256(), written.blake3(), written.size(), type, now),
          owner, now);
      BlobInfo stored = index.bySha256(written.sha256()).orElseThrow();
      if (created) {
        metrics.stored(stored.size());
        log.info("blob stored: sha256 {}, blake3 {}, {} bytes, {}, {}", stored.sha256(), stored.blake3(), stored.size(),
            stored.type(), owner == null ? "unowned (stored by a plugin)" : "owner " + Nip19.encode(new Nip19.Pubkey(owner)));
      }
      return new StoreResult.Stored(stored, created);
    } catch (IOException | RuntimeException e) {
      discard(written);
      throw e;
    } finally {
      lock.unlock();
    }
  }

  void discard(BlobWriter.Written written) {
    try {
      Files.deleteIfExists(written.temp());
    } catch (IOException e) {
      log.warn("could not delete temp file {}", written.temp(), e);
    }
  }

  /** Removes {@code pubkey}'s claim, and the bytes when it was the last one. */
  BlobIndex.Removal release(String sha256, String pubkey) throws IOException {
    ReentrantLock lock = lockFor(sha256);
    lock.lock();
    try {
      BlobIndex.Removal removal = index.removeClaim(sha256, pubkey);
      if (removal == BlobIndex.Removal.LAST_CLAIM_REMOVED) files.delete(sha256);
      return removal;
    } finally {
      lock.unlock();
    }
  }

  /** Deletes blobs past retention; returns how many went. */
  int prune(int retentionDays, int unownedRetentionDays) {
    long now = clock.instant().getEpochSecond();
    long allBefore = retentionDays > 0 ? now - retentionDays * 86_400L : 0;
    long unownedBefore = unownedRetentionDays > 0 ? now - unownedRetentionDays * 86_400L : 0;
    int pruned = 0;
    while (true) {
      List<String> due = index.due(allBefore, unownedBefore, 500);
      if (due.isEmpty()) return pruned;
      for (String sha256 : due) {
        ReentrantLock lock = lockFor(sha256);
        lock.lock();
        try {
          index.forget(sha256);
          files.delete(sha256);
          pruned++;
        } catch (IOException e) {
          log.warn("could not delete the file of expired blob {}", sha256, e);
        } finally {
          lock.unlock();
        }
      }
    }
  }

  /**
   * Indexes blob files that have no index row: a process killed between naming a file and committing its
   * row (the upload was never acknowledged) leaves such a file, which no GET would serve and no sweep would
   * delete. Each is re-read (both hashes checked against its name) and indexed as unowned, so the
   * unowned retention applies; its uploader may claim it by uploading again. Returns how many.
   */
  int reconcile() throws IOException {
    int indexed = 0;
    for (String sha256 : index.missing(files.storedHashes())) {
      ReentrantLock lock = lockFor(sha256);
      lock.lock();
      try {
        if (index.missing(List.of(sha256)).isEmpty()) continue; // indexed meanwhile (another process)
        BlobWriter.Written written;
        try (InputStream in = Files.newInputStream(files.path(sha256)); BlobWriter writer = newWriter(Long.MAX_VALUE)) {
          writer.writeAll(in);
          written = writer.finish();
        }
        if (!written.sha256().equals(sha256)) {
          discard(written);
          log.warn("blob file {} does not hash to its name (it hashes to {}); left as it is", sha256, written.sha256());
          continue;
        }
        commit(written, MediaTypes.sniff(MediaTypes.OCTET_STREAM, written.head()), null);
        indexed++;
      } catch (NoSuchFileException gone) {
        // deleted meanwhile
      } finally {
        lock.unlock();
      }
    }
    if (indexed > 0) log.info("indexed {} blob files that had no index row (left by an interrupted upload)", indexed);
    return indexed;
  }

  void close() throws IOException {
    files.close();
  }

  Path path(BlobInfo blob) {
    return files.path(blob.sha256());
  }

  private ReentrantLock lockFor(String sha256) {
    return locks[Integer.parseInt(sha256.substring(0, 2), 16) % STRIPES];
  }

  /** A byte range of a file as a stream, read with positional reads. */
  private static final class RangeStream extends InputStream {
    private final FileChannel channel;
    private long position;
    private final long end;

    RangeStream(FileChannel channel, long start, long end) {
      this.channel = channel;
      this.position = start;
      this.end = end;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (position >= end) return -1;
      int n = channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, end - position)), position);
      if (n < 0) throw new NoSuchFileException("blob file shorter than its index row");
      position += n;
      return n;
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }
}
