package archy.blossom;

import archy.nostr.Hex;
import archy.plugin.BlobInfo;
import archy.plugin.DeliveryMeter;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Blob bytes on the local filesystem, content-addressed: {@code <dir>/ab/cd/<sha256>}. Two levels of
 * 256 folders keep directories small for millions of blobs. New bytes go to a temp folder first and
 * become visible only by an atomic rename after fsync, so a crash never leaves a partial blob under a
 * hash name. Files are immutable once named; deleting one only unlinks it, so a reader that already
 * opened (or mapped) it keeps valid bytes.
 *
 * <p>Each process writes its temp files in a folder of its own, {@code <dir>/tmp/<random>/}, and holds a
 * file lock on its {@code owner.lock} while it runs. At start every other folder whose lock can be taken
 * belongs to a process that is gone (the OS drops a dead process's locks), so its {@code .part} files are
 * leftovers of uploads that died with it and are removed at once; folders of live processes sharing the
 * directory are left alone.
 */
final class BlobFiles implements BlobStorage {
  private static final Logger log = LoggerFactory.getLogger(BlobFiles.class);
  /** Loose temp files (written by versions before per-process folders) older than this are removed. */
  private static final Duration STALE_TEMP = Duration.ofDays(1);
  private static final String LOCK = "owner.lock";

  private final Path root;
  private final Path tmp;
  private final Path mine;
  private final FileChannel lockChannel;

  BlobFiles(Path root) throws IOException {
    this.root = root;
    this.tmp = Files.createDirectories(root.resolve("tmp"));
    this.mine = Files.createDirectories(tmp.resolve(UUID.randomUUID().toString()));
    this.lockChannel = FileChannel.open(mine.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    if (lockChannel.tryLock() == null) throw new IOException("cannot lock " + mine.resolve(LOCK));
    removeStaleTemps();
    removeLeftoversOfDeadProcesses();
  }

  /** Dirty bytes handed to the disk in the background this often, so the final fsync has little left. */
  private static final long SYNC_EVERY = 64L << 20;

  Path path(String sha256) {
    return root.resolve(sha256.substring(0, 2)).resolve(sha256.substring(2, 4)).resolve(sha256);
  }

  @Override
  public boolean exists(String sha256) {
    return Files.isRegularFile(path(sha256));
  }

  @Override
  public Sink newSink() throws IOException {
    return new FileSink(Files.createFile(mine.resolve(UUID.randomUUID() + ".part")));
  }

  // The read path: every byte served or read from a blob file goes through open() or read().

  @Override
  public Body open(BlobInfo blob, long first, long length) throws IOException {
    FileChannel channel = FileChannel.open(path(blob.sha256()), StandardOpenOption.READ);
    return new Body() {
      @Override
      public void send(Response response, Callback done, DeliveryMeter meter) {
        new BlobBody(channel, response, first, length, done, meter).iterate();
      }

      @Override
      public void close() {
        closeQuietly(channel);
      }
    };
  }

  @Override
  public InputStream read(BlobInfo blob, long first, long length) throws IOException {
    return new RangeStream(FileChannel.open(path(blob.sha256()), StandardOpenOption.READ), first, first + length);
  }

  @Override
  public InputStream readAll(String sha256) throws IOException {
    return Files.newInputStream(path(sha256));
  }

  @Override
  public String describe() {
    return root.toString();
  }

  /**
   * Makes a finished, already fsynced temp file the blob {@code sha256}. If the blob exists the temp is
   * dropped instead: same name, same bytes.
   */
  private void commit(Path temp, String sha256) throws IOException {
    Path target = path(sha256);
    if (Files.isRegularFile(target)) {
      Files.deleteIfExists(temp);
      return;
    }
    Path dir = Files.createDirectories(target.getParent());
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("the blob directory must be on one filesystem with its tmp/ folder", e);
    }
    syncDirectory(dir);
  }

  @Override
  public void delete(String sha256) throws IOException {
    Files.deleteIfExists(path(sha256));
  }

  /** The rename is durable only once the directory entry is on disk. */
  private static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Some filesystems cannot open directories; the rename is still atomic, only less durable.
      log.debug("could not fsync directory {}: {}", dir, e.toString());
    }
  }

  @Override
  public List<String> storedHashes() throws IOException {
    List<String> hashes = new ArrayList<>();
    try (Stream<Path> paths = Files.find(root, 3, (p, a) -> a.isRegularFile() && p.getNameCount() - root.getNameCount() == 3)) {
      paths.forEach(p -> {
        String name = p.getFileName().toString();
        if (Hex.isLowerHex(name, 64) && p.equals(path(name))) hashes.add(name);
      });
    }
    return hashes;
  }

  /** Releases this process's temp folder (empty once every upload finished). */
  @Override
  public void close() throws IOException {
    lockChannel.close();
    deleteFolder(mine);
  }

  private void removeLeftoversOfDeadProcesses() throws IOException {
    try (DirectoryStream<Path> folders = Files.newDirectoryStream(tmp, Files::isDirectory)) {
      for (Path folder : folders) {
        if (folder.equals(mine) || !ownerIsGone(folder)) continue;
        int parts = deleteFolder(folder);
        if (parts > 0) log.info("removed {} partial uploads left by a process that stopped", parts);
      }
    }
  }

  private static boolean ownerIsGone(Path folder) throws IOException {
    Path lockFile = folder.resolve(LOCK);
    if (!Files.exists(lockFile)) {
      // A process that is starting creates its folder an instant before the lock: only an old one is dead.
      return Files.getLastModifiedTime(folder).toInstant().isBefore(Instant.now().minus(Duration.ofHours(1)));
    }
    try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
      return ch.tryLock() != null; // released with the channel
    } catch (OverlappingFileLockException heldInThisJvm) {
      return false;
    }
  }

  /** Deletes the folder and its files; returns how many {@code .part} files went. */
  private static int deleteFolder(Path folder) throws IOException {
    int parts = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
      for (Path file : files) {
        if (file.getFileName().toString().endsWith(".part")) parts++;
        Files.deleteIfExists(file);
      }
    }
    Files.deleteIfExists(folder);
    return parts;
  }

  private void removeStaleTemps() throws IOException {
    Instant cutoff = Instant.now().minus(STALE_TEMP);
    try (DirectoryStream<Path> parts = Files.newDirectoryStream(tmp, "*.part")) {
      for (Path part : parts) {
        FileTime modified = Files.getLastModifiedTime(part);
        if (modified.toInstant().isBefore(cutoff)) Files.deleteIfExists(part);
      }
    }
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // Read-only: nothing to lose.
    }
  }

  /** A temp file in this process's folder, fsynced on finish and renamed to its hash on commit. */
  private final class FileSink implements Sink, Staged {
    private final Path temp;
    private final FileChannel channel;
    private long unsynced;
    private Thread syncer;

    FileSink(Path temp) throws IOException {
      this.temp = temp;
      this.channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      ByteBuffer out = ByteBuffer.wrap(bytes, offset, length);
      while (out.hasRemaining()) channel.write(out);
      unsynced += length;
      if (unsynced >= SYNC_EVERY && (syncer == null || !syncer.isAlive())) {
        // Linux starts writeback only at 10% of RAM dirty: without this a 1 GiB upload ends with a 1 GiB fsync.
        unsynced = 0;
        syncer = Thread.ofVirtual().name("blob-sync").start(this::syncQuietly);
      }
    }

    private void syncQuietly() {
      try {
        channel.force(false);
      } catch (IOException e) {
        // Closed under us by close(), or a disk error that finish()'s own fsync will report.
      }
    }

    @Override
    public Staged finish() throws IOException {
      try {
        if (syncer != null) syncer.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("upload interrupted");
      }
      channel.force(false);
      channel.close();
      return this;
    }

    @Override
    public void commit(String sha256) throws IOException {
      BlobFiles.this.commit(temp, sha256);
    }

    @Override
    public void discard() {
      close();
    }

    @Override
    public void close() {
      closeQuietly(channel);
      try {
        Files.deleteIfExists(temp);
      } catch (IOException e) {
        log.warn("could not delete temp file {}", temp, e);
      }
    }
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
