package archy.film.publish;

import archy.hash.Blake3;
import archy.nostr.Hex;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * One blob to publish: where its bytes are on disk, both of its addresses (PROTOCOLS.md §1) and its type.
 * {@code extension} is what playlists append to the sha256 (".ts", ".m3u8", ".jpg").
 */
record BlobFile(Path file, String sha256, String blake3, long size, String extension, String contentType) {
  /** Hashes the file in one streaming pass (sha256 and BLAKE3 together). */
  static BlobFile of(Path file, String extension) throws IOException {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    Blake3 b3 = new Blake3();
    long size = 0;
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        sha.update(buffer, 0, n);
        b3.update(buffer, 0, n);
        size += n;
      }
    }
    return new BlobFile(file, Hex.encode(sha.digest()), Hex.encode(b3.digest()), size, extension, typeOf(extension));
  }

  /** The name playlists give it: {@code <sha256><ext>}. */
  String blossomName() {
    return sha256 + extension;
  }

  /** How film events name it: {@code blake3:<hex>}. */
  String blake3Ref() {
    return "blake3:" + blake3;
  }

  private static String typeOf(String extension) {
    return switch (extension) {
      case ".m3u8" -> "application/vnd.apple.mpegurl";
      case ".ts" -> "video/mp2t";
      case ".m4s", ".mp4" -> "video/mp4";
      case ".aac" -> "audio/aac";
      case ".jpg", ".jpeg" -> "image/jpeg";
      case ".png" -> "image/png";
      case ".webp" -> "image/webp";
      case ".key" -> "application/octet-stream";
      default -> "application/octet-stream";
    };
  }
}
