package archy.blossom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.config.Blossom;
import archy.hash.Blake3;
import archy.plugin.BlobInfo;
import archy.testing.BlossomCalls;
import archy.testing.S3rver;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The S3 storage against a real S3 server (s3rver 3.7, with its limits: no AbortMultipartUpload, no suffix
 * ranges): a blob of several parts streams through a staging multipart upload and appears under its hash only
 * on commit; a refused upload leaves no object and no part behind; ranges read back exactly; bytes committed
 * again under a stored hash leave its object as it is.
 */
class S3StorageTest {
  @TempDir static Path dir;
  static S3rver server;
  static S3Storage storage;

  @BeforeAll
  static void start() throws Exception {
    server = S3rver.start(dir.resolve("s3"));
    storage = S3Storage.open(new Blossom.S3(server.endpoint(), S3rver.BUCKET, "us-east-1", "unit/", true,
        "S3RVER", "S3RVER"));
  }

  @AfterAll
  static void stop() throws Exception {
    storage.close();
    server.close();
  }

  static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static BlobWriter.Written write(byte[] bytes) throws Exception {
    try (BlobWriter writer = new BlobWriter(storage.newSink(), Long.MAX_VALUE)) {
      for (int at = 0; at < bytes.length; at += 100_000) {
        writer.write(java.nio.ByteBuffer.wrap(bytes, at, Math.min(100_000, bytes.length - at)));
      }
      return writer.finish();
    }
  }

  @Test
  void aMultipartBlobIsCommittedUnderItsHashOnlyAfterFinishing() throws Exception {
    byte[] bytes = random(2 * S3Storage.PART + 12_345, 7); // three parts, the last one short
    BlobWriter.Written written = write(bytes);
    assertEquals(BlossomCalls.sha256(bytes), written.sha256());
    assertEquals(Blake3.hex(bytes), written.blake3());
    BlobInfo blob = new BlobInfo(written.sha256(), written.blake3(), bytes.length, "video/mp4", 0);
    assertThrows(NoSuchFileException.class, () -> storage.read(blob, 0, 10).close(), "not visible before commit");

    written.staged().commit(written.sha256());
    assertEquals(List.of(written.sha256()), storage.storedHashes());
    assertEquals(0, server.objectFiles()
        .filter(p -> p.toString().contains("/unit/tmp/")).count(), "the staging object is gone");
    try (InputStream in = storage.readAll(written.sha256())) {
      assertArrayEquals(bytes, in.readAllBytes());
    }
    long first = S3Storage.PART - 10;
    try (InputStream in = storage.read(blob, first, 30)) {
      assertArrayEquals(Arrays.copyOfRange(bytes, (int) first, (int) first + 30), in.readAllBytes(), "across parts");
    }
    try (InputStream in = storage.read(blob, bytes.length - 100, 100)) { // the end, as an explicit range
      assertArrayEquals(Arrays.copyOfRange(bytes, bytes.length - 100, bytes.length), in.readAllBytes());
    }
    storage.delete(written.sha256());
    assertTrue(storage.storedHashes().isEmpty());
  }

  @Test
  void aSmallBlobIsPutDirectlyAndARefusedOneLeavesNothing() throws Exception {
    byte[] small = random(1000, 8);
    BlobWriter.Written written = write(small);
    written.staged().commit(written.sha256());
    try (InputStream in = storage.readAll(written.sha256())) {
      assertArrayEquals(small, in.readAllBytes());
    }
    storage.delete(written.sha256());

    // Two full parts sent, then the upload is dropped (a client that went away, a hash that did not match).
    try (BlobWriter writer = new BlobWriter(storage.newSink(), Long.MAX_VALUE)) {
      writer.write(java.nio.ByteBuffer.wrap(random(2 * S3Storage.PART + 1, 9)));
    }
    BlobWriter.Written refused = write(random(S3Storage.PART + 1, 10));
    refused.staged().discard();
    assertEquals(0, server.objectFiles().count(), "no object and no part is left");
    assertTrue(storage.storedHashes().isEmpty());
  }

  /**
   * A second upload of stored bytes (put directly, or staged and copied) must not rewrite the object: s3rver
   * rewrites in place, so GETs reading it meanwhile were cut short (seen as concurrent fetch-throughs failing).
   */
  @Test
  void bytesCommittedAgainUnderAStoredHashLeaveTheObjectAsItIs() throws Exception {
    for (byte[] bytes : List.of(random(1000, 11), random(S3Storage.PART + 1, 12))) {
      BlobWriter.Written first = write(bytes);
      first.staged().commit(first.sha256());
      try {
        Path object = server.directory.resolve(S3rver.BUCKET).resolve("unit/" + first.sha256() + "._S3rver_object");
        var written = Files.getLastModifiedTime(object);
        Thread.sleep(20);
        BlobWriter.Written again = write(bytes);
        again.staged().commit(again.sha256());
        assertEquals(written, Files.getLastModifiedTime(object), "not rewritten: " + bytes.length + " bytes");
        assertEquals(0, server.staging("unit/"), "the second copy is dropped");
        try (InputStream in = storage.readAll(first.sha256())) {
          assertArrayEquals(bytes, in.readAllBytes());
        }
      } finally {
        storage.delete(first.sha256()); // the other tests expect an empty bucket
      }
    }
  }
}
