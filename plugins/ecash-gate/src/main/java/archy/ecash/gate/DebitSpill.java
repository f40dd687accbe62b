package archy.ecash.gate;

import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A local file holding the session debits the database would not take (it is down), so that they outlive the
 * process: {@link Sessions} rewrites it after every flush that failed, and a node starting up applies what it
 * finds before serving. One line per session entry: session, service, scope (URL-encoded) and bytes, tab
 * separated. Written to a temporary file, forced to disk, then renamed over the old one, so a crash leaves
 * either the old list or the new one, never half of one.
 */
final class DebitSpill {
  private final Path file;

  DebitSpill(Path file) {
    this.file = file;
  }

  /** Replaces the file's content with these debits; removes the file when there are none. */
  void write(Map<Sessions.Key, Long> debits) throws IOException {
    if (debits.isEmpty()) {
      Files.deleteIfExists(file);
      return;
    }
    StringBuilder out = new StringBuilder();
    debits.forEach((k, bytes) -> out.append(enc(k.session())).append('\t').append(enc(k.service())).append('\t')
        .append(enc(k.scope())).append('\t').append(bytes).append('\n'));
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer bytes = ByteBuffer.wrap(out.toString().getBytes(StandardCharsets.UTF_8));
      while (bytes.hasRemaining()) ch.write(bytes);
      ch.force(true);
    }
    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The debits left by an earlier run; empty when there is no file. */
  Map<Sessions.Key, Long> read() throws IOException {
    Map<Sessions.Key, Long> debits = new LinkedHashMap<>();
    if (!Files.exists(file)) return debits;
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (String line : lines) {
      String[] f = line.split("\t");
      if (f.length != 4) throw new IOException("malformed line in " + file);
      try {
        debits.merge(new Sessions.Key(dec(f[0]), dec(f[1]), dec(f[2])), Long.parseLong(f[3]), Long::sum);
      } catch (IllegalArgumentException e) {
        throw new IOException("malformed line in " + file, e);
      }
    }
    return debits;
  }

  @Override
  public String toString() {
    return file.toString();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String dec(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
