package archy.film.backstage;

import archy.film.publish.PublishRuns;
import archy.nostr.Keys;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

/**
 * The backstage upload of a large source (issue 15: "large files"), as the page sends it: one chunk after another,
 * each NIP-98 signed with its sha256 as payload, into a fresh node on 127.0.0.1; reports MB/s. The source is random
 * bytes made once in {@code <dir>} (the upload does not look inside; transcoding is {@code PublishBenchmark}'s).
 *
 * <p>A main, not a test. From plugins/film-catalog after {@code mvn test-compile}:
 * <pre>
 * java -cp "target/classes:target/test-classes:target/lib/*:../../relay-server/target/classes:\
 *   ../../relay-server/target/test-classes:../../relay-server/target/lib/*" \
 *   archy.film.backstage.BackstageBenchmark /tmp/backstage-bench [megabytes=1024] [chunk_mib=8]
 * </pre>
 */
final class BackstageBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();

  private BackstageBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "/tmp/backstage-bench");
    int megabytes = args.length > 1 ? Integer.parseInt(args[1]) : 1024;
    int chunk = (args.length > 2 ? Integer.parseInt(args[2]) : 8) << 20;
    Files.createDirectories(dir);
    Path source = dir.resolve("source-" + megabytes + "MB.bin");
    if (!Files.exists(source) || Files.size(source) != megabytes * 1_000_000L) {
      byte[] block = new byte[1_000_000];
      Random random = new Random(megabytes);
      try (OutputStream out = Files.newOutputStream(source)) {
        for (int i = 0; i < megabytes; i++) {
          random.nextBytes(block);
          out.write(block);
        }
      }
    }
    long size = Files.size(source);
    Keys publisher = Keys.generate();
    try (PublishRuns.Started node = PublishRuns.start(Files.createTempDirectory(dir, "node-"), publisher)) {
      BackstageClient client = new BackstageClient(HttpClient.newHttpClient(), node.base());
      JsonNode upload = JSON.readTree(client.call(publisher, "POST", "/uploads", JSON.writeValueAsBytes(
          Map.of("name", source.getFileName().toString(), "size", size, "last_modified", 1))).body());
      String id = upload.path("id").asText();
      long start = System.nanoTime();
      long offset = 0;
      int chunks = 0;
      try (InputStream in = Files.newInputStream(source)) {
        while (offset < size) {
          byte[] bytes = in.readNBytes((int) Math.min(chunk, size - offset));
          HttpResponse<String> r = client.call(publisher, "PUT", "/uploads/" + id + "?offset=" + offset, bytes);
          if (r.statusCode() != 200) throw new IllegalStateException(r.statusCode() + " " + r.body());
          offset += bytes.length;
          chunks++;
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf("backstage upload: %.0f MB in %d chunks of %d MiB in %.2f s: %.0f MB/s "
          + "(client: read + sha256 + NIP-98 per chunk; node: NIP-98 check + sha256, write, fsync)%n",
          size / 1e6, chunks, chunk >> 20, seconds, size / 1e6 / seconds);
    }
  }
}
