package archy.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real S3-compatible server for the tests: s3rver 3.7 (npm) in a Node process of its own, on 127.0.0.1 and a
 * free port, keeping its objects in a test's directory (or one {@link #shared()} server per test JVM). Its known
 * limits (no AbortMultipartUpload, no suffix ranges, uploads corrupted by chunked encoding) are ones the node must
 * live with.
 */
public final class S3rver implements AutoCloseable {
  public static final String BUCKET = "blobs";
  private static S3rver shared;
  private final Process process;
  public final int port;
  public final Path directory;

  private S3rver(Process process, int port, Path directory) {
    this.process = process;
    this.port = port;
    this.directory = directory;
  }

  public static S3rver start(Path directory) throws Exception {
    Files.createDirectories(directory);
    Process p = NodeScripts.relayServer().start("s3-server.mjs", directory.toString(), BUCKET);
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    String line;
    while ((line = out.readLine()) != null && !line.startsWith("s3rver listening ")) seen.append(line).append('\n');
    if (line == null) {
      p.destroyForcibly();
      throw new IllegalStateException("s3rver did not start:\n" + seen);
    }
    Thread.ofPlatform().daemon().start(() -> out.lines().forEach(l -> { }));
    return new S3rver(p, Integer.parseInt(line.substring("s3rver listening ".length()).strip()), directory);
  }

  /**
   * One server for the test classes of this JVM that need only a bucket, each under a key prefix of its own
   * ({@link #sharedPrefix}): started on first use, stopped and its directory removed when the JVM exits. A Node
   * process per class would cost a start each; tests that count every object in the bucket start their own.
   */
  public static synchronized S3rver shared() throws Exception {
    if (shared == null) {
      S3rver server = start(Files.createTempDirectory("archy-s3rver"));
      Runtime.getRuntime().addShutdownHook(new Thread(server::closeAndRemove));
      shared = server;
    }
    return shared;
  }

  /** A key prefix in the {@link #shared()} server's bucket that no other user has: {@code <name>-<random>/}. */
  public static Prefix sharedPrefix(String name) throws Exception {
    return new Prefix(shared(), name + "-" + UUID.randomUUID() + "/");
  }

  /** One node's key prefix in a server's bucket: the node's {@code [blossom]} keys, and what it keeps there. */
  public record Prefix(S3rver server, String prefix) {
    public String blossomConfig() {
      return server.blossomConfig(prefix);
    }

    public boolean holds(String sha256) {
      return server.holds(prefix, sha256);
    }

    public long staging() throws IOException {
      return server.staging(prefix);
    }
  }

  private void closeAndRemove() {
    try {
      close();
      try (Stream<Path> all = Files.walk(directory)) {
        for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
      }
    } catch (Exception e) {
      System.err.println("could not remove the test S3 server's directory " + directory + ": " + e);
    }
  }

  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  /** The {@code [blossom]} keys of a node storing its blobs here, under {@code prefix}. */
  public String blossomConfig(String prefix) {
    return """
        store = "s3"
        s3_endpoint = "%s"
        s3_bucket = "%s"
        s3_prefix = "%s"
        s3_path_style = true
        s3_access_key = "S3RVER"
        s3_secret_key = "S3RVER"
        """.formatted(endpoint(), BUCKET, prefix);
  }

  /** The files holding the objects' bytes: s3rver keeps them as {@code <dir>/<bucket>/<key>._S3rver_object}. */
  public Stream<Path> objectFiles() {
    try (Stream<Path> all = Files.walk(directory)) {
      return all.filter(p -> p.getFileName().toString().endsWith("._S3rver_object")).toList().stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether the bucket holds an object for the blob {@code sha256} under {@code prefix}. */
  public boolean holds(String prefix, String sha256) {
    Path object = directory.resolve(BUCKET).resolve(prefix + sha256 + "._S3rver_object");
    return Files.isRegularFile(object);
  }

  /**
   * What uploads under {@code prefix} left behind: staging objects ({@code <prefix>tmp/…}) and multipart uploads
   * not completed (s3rver keeps those as {@code <dir>/<bucket>/._S3rver_uploads/<upload id>/}).
   */
  public long staging(String prefix) throws IOException {
    Path bucket = directory.resolve(BUCKET);
    long objects = objectFiles().filter(p -> bucket.relativize(p).toString().startsWith(prefix + "tmp/")).count();
    Path uploads = bucket.resolve("._S3rver_uploads");
    if (!Files.isDirectory(uploads)) return objects;
    try (Stream<Path> open = Files.list(uploads)) {
      return objects + open.filter(u -> keyOf(u).startsWith(prefix)).count();
    }
  }

  /** The key a multipart upload in progress is for (s3rver keeps it in the upload's {@code key} file). */
  private static String keyOf(Path upload) {
    try {
      return Files.readString(upload.resolve("key"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws Exception {
    process.getOutputStream().close();
    if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
  }
}
