package archy.blossom;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Blob bytes on the local filesystem, content-addressed: {@code <dir>/ab/cd/<sha256>}. Two levels of
 * 256 folders keep directories small for millions of blobs. New bytes go to {@code <dir>/tmp/} first and
 * become visible only by an atomic rename after fsync, so a crash never leaves a partial blob under a
 * hash name. Files are immutable once named; deleting one only unlinks it, so a reader that already
 * opened (or mapped) it keeps valid bytes.
 */
final class BlobFiles {
  private static final Logger log = LoggerFactory.getLogger(BlobFiles.class);
  /** Temp files older than this at start-up belong to uploads that died with an earlier process. */
  private static final Duration STALE_TEMP = Duration.ofDays(1);

  private final Path root;
  private final Path tmp;

  BlobFiles(Path root) throws IOException {
    this.root = root;
    this.tmp = Files.createDirectories(root.resolve("tmp"));
    removeStaleTemps();
  }

  Path path(String sha256) {
    return root.resolve(sha256.substring(0, 2)).resolve(sha256.substring(2, 4)).resolve(sha256);
  }

  boolean exists(String sha256) {
    return Files.isRegularFile(path(sha256));
  }

  Path newTemp() throws IOException {
    return Files.createFile(tmp.resolve(UUID.randomUUID() + ".part"));
  }

  /**
   * Makes a finished, already fsynced temp file the blob {@code sha256}. If the blob exists the temp is
   * dropped instead: same name, same bytes.
   */
  void commit(Path temp, String sha256) throws IOException {
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

  void delete(String sha256) throws IOException {
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

  private void removeStaleTemps() throws IOException {
    Instant cutoff = Instant.now().minus(STALE_TEMP);
    try (DirectoryStream<Path> parts = Files.newDirectoryStream(tmp, "*.part")) {
      for (Path part : parts) {
        FileTime modified = Files.getLastModifiedTime(part);
        if (modified.toInstant().isBefore(cutoff)) Files.deleteIfExists(part);
      }
    }
  }
}
