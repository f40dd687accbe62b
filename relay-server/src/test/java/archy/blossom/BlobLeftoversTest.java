package archy.blossom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import archy.testing.BlossomCalls;
import archy.testing.TestNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a crash leaves in the blob directory is cleaned up or put right when the node starts again. */
class BlobLeftoversTest {
  @TempDir Path dir;

  @Test
  void partialUploadsOfAStoppedProcessAreRemovedAtStartThoseOfALiveOneAreKept() throws Exception {
    Path tmp = Files.createDirectories(dir.resolve("blobs").resolve("tmp"));
    // A process that died mid-upload: its folder, its lock file (no longer locked), a fresh .part.
    Path dead = Files.createDirectories(tmp.resolve("dead-process"));
    Files.createFile(dead.resolve("owner.lock"));
    Files.write(dead.resolve("upload.part"), new byte[1000]);
    try (BlobFiles live = new BlobFiles(dir.resolve("blobs")); // another process sharing the directory
         BlobStorage.Sink upload = live.newSink()) {
      upload.write(new byte[1000], 0, 1000);
      assertFalse(Files.exists(dead), "the dead process's leftovers went when the live one started");
      try (TestNode node = TestNode.start(dir, "")) {
        assertEquals(1, partFiles(tmp), "an upload still being written is left alone");
      }
    }
  }

  private static long partFiles(Path tmp) throws IOException {
    try (Stream<Path> files = Files.walk(tmp)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".part")).count();
    }
  }

  @Test
  void aBlobFileWithoutAnIndexRowIsIndexedAtStart() throws Exception {
    byte[] bytes = "a blob whose row was lost when PostgreSQL was killed".getBytes(StandardCharsets.UTF_8);
    String sha256 = BlossomCalls.sha256(bytes);
    try (TestNode node = TestNode.start(dir, "")) {
      assertEquals(404, new BlossomCalls(node.httpUrl()).get("/" + sha256).statusCode());
    }
    Path file = dir.resolve("blobs").resolve(sha256.substring(0, 2)).resolve(sha256.substring(2, 4)).resolve(sha256);
    Files.createDirectories(file.getParent());
    Files.write(file, bytes);
    try (TestNode node = TestNode.start(dir, "")) {
      BlossomCalls calls = new BlossomCalls(node.httpUrl());
      HttpResponse<byte[]> got = calls.get("/" + sha256);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (got.statusCode() == 404 && System.nanoTime() < deadline) {
        Thread.sleep(50);
        got = calls.get("/" + sha256);
      }
      assertEquals(200, got.statusCode());
      assertArrayEquals(bytes, got.body());
    }
  }
}
