package archy.blossom;

import archy.nostr.Hex;
import archy.nostr.Nip19;
import archy.plugin.BlobInfo;
import archy.plugin.BlobSource;
import archy.plugin.Blobs.StoreResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Blob bytes (in a {@link BlobStorage}: files or a bucket) plus their index rows, kept consistent: the
 * bytes are named before their row is committed, and a row is gone before its bytes are removed. Work on
 * one hash (commit, last-claim delete, prune, reconcile) is serialized by {@link HashLocks}, across every
 * process sharing a PostgreSQL database, so an upload racing a delete of the same bytes cannot end with a
 * row whose bytes were just removed.
 */
public final class BlobStore {
  private static final Logger log = LoggerFactory.getLogger(BlobStore.class);

  private final BlobStorage storage;
  private final BlobIndex index;
  private final HashLocks locks;
  private final Clock clock;
  private final BlossomMetrics metrics;

  BlobStore(BlobStorage storage, BlobIndex index, HashLocks locks, Clock clock, BlossomMetrics metrics) {
    this.storage = storage;
    this.index = index;
    this.locks = locks;
    this.clock = clock;
    this.metrics = metrics;
  }

  BlobIndex index() {
    return index;
  }

  public Optional<BlobInfo> bySha256(String sha256) {
    if (!Hex.isLowerHex(sha256, 64)) return Optional.empty();
    return index.bySha256(sha256).filter(b -> storage.exists(b.sha256()));
  }

  public Optional<BlobInfo> byBlake3(String blake3) {
    if (!Hex.isLowerHex(blake3, 64)) return Optional.empty();
    return index.byBlake3(blake3).filter(b -> storage.exists(b.sha256()));
  }

  BlossomMetrics metrics() {
    return metrics;
  }

  /** A range of the blob, opened for serving; the caller sends or closes it. */
  BlobStorage.Body body(BlobInfo blob, long first, long length) throws IOException {
    return storage.open(blob, first, length);
  }

  public InputStream open(BlobInfo blob, long offset, long length) throws IOException {
    long start = Math.max(0, Math.min(offset, blob.size()));
    long end = Math.min(blob.size(), start + Math.max(0, length));
    return storage.read(blob, start, end - start);
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
    return new BlobWriter(storage.newSink(), maxBytes);
  }

  /** Names the written bytes and indexes them (with {@code owner}'s claim when given). */
  StoreResult.Stored commit(BlobWriter.Written written, String type, String owner) throws IOException {
    try {
      return locks.with(written.sha256(), () -> {
        written.staged().commit(written.sha256());
        long now = clock.instant().getEpochSecond();
        boolean created = index.record(new BlobInfo(written.sha256(), written.blake3(), written.size(), type, now),
            owner, now);
        BlobInfo stored = index.bySha256(written.sha256()).orElseThrow();
        if (created) {
          metrics.stored(stored.size());
          log.info("blob stored: sha256 {}, blake3 {}, {} bytes, {}, {}", stored.sha256(), stored.blake3(),
              stored.size(), stored.type(),
              owner == null ? "unowned (stored by a plugin)" : "owner " + Nip19.encode(new Nip19.Pubkey(owner)));
        }
        return new StoreResult.Stored(stored, created);
      });
    } catch (IOException | RuntimeException e) {
      discard(written);
      throw e;
    }
  }

  void discard(BlobWriter.Written written) {
    written.staged().discard();
  }

  /** Removes {@code pubkey}'s claim, and the bytes when it was the last one. */
  BlobIndex.Removal release(String sha256, String pubkey) throws IOException {
    return locks.with(sha256, () -> {
      BlobIndex.Removal removal = index.removeClaim(sha256, pubkey);
      if (removal == BlobIndex.Removal.LAST_CLAIM_REMOVED) storage.delete(sha256);
      return removal;
    });
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
        try {
          locks.with(sha256, () -> {
            index.forget(sha256);
            storage.delete(sha256);
            return null;
          });
          pruned++;
        } catch (IOException e) {
          log.warn("could not delete the bytes of expired blob {}", sha256, e);
        }
      }
    }
  }

  /**
   * Indexes stored blobs that have no index row: a process killed between naming the bytes and committing
   * their row (the upload was never acknowledged) leaves such a blob, which no GET would serve and no sweep
   * would delete. Each is re-read (both hashes checked against its name) and indexed as unowned, so the
   * unowned retention applies; its uploader may claim it by uploading again. Returns how many.
   */
  int reconcile() throws IOException {
    int indexed = 0;
    for (String sha256 : index.missing(storage.storedHashes())) {
      try {
        boolean done = locks.with(sha256, () -> {
          if (index.missing(List.of(sha256)).isEmpty()) return false; // indexed meanwhile (another process)
          BlobWriter.Written written;
          try (InputStream in = storage.readAll(sha256); BlobWriter writer = new BlobWriter(new InPlace(), Long.MAX_VALUE)) {
            writer.writeAll(in);
            written = writer.finish();
          }
          if (!written.sha256().equals(sha256)) {
            log.warn("stored blob {} does not hash to its name (it hashes to {}); left as it is", sha256, written.sha256());
            return false;
          }
          // Not commit(): that takes this lock again, and on PostgreSQL a second connection for it.
          long now = clock.instant().getEpochSecond();
          String type = MediaTypes.sniff(MediaTypes.OCTET_STREAM, written.head());
          return index.record(new BlobInfo(sha256, written.blake3(), written.size(), type, now), null, now);
        });
        if (done) indexed++;
      } catch (NoSuchFileException gone) {
        // deleted meanwhile
      }
    }
    if (indexed > 0) {
      log.info("indexed {} stored blobs that had no index row (left by an interrupted upload)", indexed);
    }
    return indexed;
  }

  void close() throws IOException {
    storage.close();
  }

  /** Hashes bytes that are already stored under a name: nothing to write, stage or drop. */
  private static final class InPlace implements BlobStorage.Sink, BlobStorage.Staged {
    @Override
    public void write(byte[] bytes, int offset, int length) {}

    @Override
    public BlobStorage.Staged finish() {
      return this;
    }

    @Override
    public void commit(String sha256) {}

    @Override
    public void discard() {}

    @Override
    public void close() {}
  }
}
