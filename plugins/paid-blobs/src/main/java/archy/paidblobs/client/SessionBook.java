package archy.paidblobs.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The payer's sessions ({@code X-Archy-Session}), one per server ({@code scheme://authority}). A session is a
 * bearer credential for bytes already paid for, so keeping it between runs of {@code archy fetch} means a second
 * run spends what the first bought instead of paying again. Persisted (when given a file) as a small JSON object
 * readable by its owner only, rewritten atomically on each change.
 */
final class SessionBook {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, String> byHost = new ConcurrentHashMap<>();
  private final Path file;

  private SessionBook(Path file) {
    this.file = file;
  }

  static SessionBook inMemory() {
    return new SessionBook(null);
  }

  /** Sessions kept in {@code file} (read now if it exists). */
  static SessionBook persistent(Path file) {
    SessionBook book = new SessionBook(file);
    if (Files.isRegularFile(file)) {
      try {
        JsonNode node = JSON.readTree(file.toFile());
        node.fields().forEachRemaining(e -> {
          if (e.getValue().isTextual() && isSessionId(e.getValue().asText())) book.byHost.put(e.getKey(), e.getValue().asText());
        });
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the payer's sessions from " + file, e);
      }
    }
    return book;
  }

  static boolean isSessionId(String s) {
    return s != null && s.matches("[A-Za-z0-9_-]{1,64}");
  }

  Optional<String> get(String host) {
    return Optional.ofNullable(byHost.get(host));
  }

  void put(String host, String session) {
    if (!isSessionId(session) || session.equals(byHost.put(host, session)) || file == null) return;
    save();
  }

  private synchronized void save() {
    ObjectNode node = JSON.createObjectNode();
    byHost.forEach(node::put);
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, node.toString());
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException notPosix) {
        // another file system: the directory's permissions are what protect it
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the payer's sessions in " + file, e);
    }
  }
}
