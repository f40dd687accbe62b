package archy.film.backstage;

import archy.film.publish.FilmMaker;
import archy.nostr.Hex;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resumable uploads of source videos, one directory each under {@code <plugin data>/backstage/<id>/}:
 * {@code upload.json} (who, the file's name, size and last-modified time) and {@code source} (the bytes received so
 * far, always a prefix of the file). The received offset is the source's length, so it survives a restart, and a
 * chunk is written only once it arrived whole: an interrupted request leaves the offset where it was.
 *
 * <p>The id is derived from the publisher and the file ({@code name}, {@code size}, {@code lastModified}): choosing
 * the same file again, after a reload or on another day, finds the same upload and continues from its offset.
 */
final class Uploads {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One upload; {@code received} is read from the source file's length. */
  record Upload(String id, String pubkey, String name, long size, long lastModified, Path dir) {
    Path source() {
      return dir.resolve("source");
    }

    long received() throws IOException {
      return Files.exists(source()) ? Files.size(source()) : 0;
    }
  }

  private final Path root;
  private final long maxBytes;
  /** Chunks of one upload are appended one at a time. */
  private final Map<String, Object> locks = new ConcurrentHashMap<>();

  Uploads(Path root, long maxBytes) {
    this.root = root;
    this.maxBytes = maxBytes;
  }

  long maxBytes() {
    return maxBytes;
  }

  /** The publisher's upload of this file (size 1..{@link #maxBytes}), created when new. */
  Upload open(String pubkey, String name, long size, long lastModified) throws IOException {
    if (size <= 0 || size > maxBytes) throw new IllegalArgumentException("size must be 1.." + maxBytes + ": " + size);
    String id = id(pubkey, name, size, lastModified);
    Upload known = find(id);
    if (known != null) return known;
    Path dir = root.resolve(id);
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "upload-", ".tmp");
    Files.writeString(tmp, JSON.createObjectNode().put("pubkey", pubkey).put("name", name).put("size", size)
        .put("last_modified", lastModified).toString());
    Files.move(tmp, dir.resolve("upload.json"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    return new Upload(id, pubkey, name, size, lastModified, dir);
  }

  /** The upload with this id, or null. */
  Upload find(String id) throws IOException {
    if (!Hex.isLowerHex(id, 32)) return null;
    Path meta = root.resolve(id).resolve("upload.json");
    if (!Files.exists(meta)) return null;
    JsonNode m = JSON.readTree(Files.readString(meta));
    return new Upload(id, m.path("pubkey").asText(), m.path("name").asText(), m.path("size").asLong(),
        m.path("last_modified").asLong(), meta.getParent());
  }

  /** Removes the upload (its source and what is known of it). */
  void delete(Upload u) throws IOException {
    synchronized (locks.computeIfAbsent(u.id(), k -> new Object())) {
      FilmMaker.deleteTree(u.dir());
    }
  }

  /** What {@link #append} says: the offset after it, or that the chunk did not start at the received offset. */
  sealed interface Appended {
    record Done(long offset) implements Appended {}

    record WrongOffset(long offset) implements Appended {}

    record TooLong(long room) implements Appended {}
  }

  /** Writes {@code chunk} at {@code offset} when that is exactly what was received so far; fsynced before it says so. */
  Appended append(Upload u, long offset, byte[] chunk) throws IOException {
    synchronized (locks.computeIfAbsent(u.id(), k -> new Object())) {
      long received = u.received();
      if (offset != received) return new Appended.WrongOffset(received);
      if (received + chunk.length > u.size()) return new Appended.TooLong(u.size() - received);
      try (FileChannel out = FileChannel.open(u.source(), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
        ByteBuffer b = ByteBuffer.wrap(chunk);
        long at = offset;
        while (b.hasRemaining()) at += out.write(b, at);
        out.force(false);
      }
      return new Appended.Done(received + chunk.length);
    }
  }

  static String id(String pubkey, String name, long size, long lastModified) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest((pubkey + "\n" + name + "\n" + size + "\n"
          + lastModified).getBytes(StandardCharsets.UTF_8));
      return Hex.encode(d).substring(0, 32);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
