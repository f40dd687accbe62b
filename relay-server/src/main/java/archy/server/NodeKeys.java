package archy.server;

import archy.nostr.Keys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** The node's Nostr identity: from config, else from {@code <data_dir>/node.key}, else generated there. */
public final class NodeKeys {
  private NodeKeys() {}

  public static Keys load(String configured, Path dataDir) throws IOException {
    if (configured != null && !configured.isBlank()) return Keys.parse(configured.trim());
    Path file = dataDir.resolve("node.key");
    if (Files.exists(file)) return Keys.parse(Files.readString(file).trim());
    Keys keys = Keys.generate();
    Files.createDirectories(dataDir);
    Path tmp = dataDir.resolve("node.key.tmp");
    Files.writeString(tmp, keys.secretHex() + "\n");
    try {
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException ignored) {
      // not a POSIX file system; the data dir's own permissions protect the key
    }
    Files.move(tmp, file);
    return keys;
  }
}
