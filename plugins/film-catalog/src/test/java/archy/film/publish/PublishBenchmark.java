package archy.film.publish;

import archy.nostr.Keys;
import archy.server.ArchyNode;
import archy.testing.TestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code archy film publish} of a long 720p test video (issue 15's benchmark): wall time split into transcode,
 * rewrite+hash and upload, then a second run that finds every blob on the node (hash and HEADs only). The
 * transcode is kept in {@code <dir>/publisher} between invocations (delete it to time ffmpeg again). ffmpeg
 * makes the source once ({@code testsrc2} + sine, 1280x720, 25 fps) and keeps it in {@code <dir>}.
 *
 * <p>A main, not a test. From plugins/film-catalog after {@code mvn test-compile}:
 * <pre>
 * java -cp "target/classes:target/test-classes:target/lib/*:../../relay-server/target/classes:\
 *   ../../relay-server/target/test-classes:../../relay-server/target/lib/*" \
 *   archy.film.publish.PublishBenchmark /tmp/publish-bench [minutes=10] [preset=veryfast]
 * </pre>
 */
final class PublishBenchmark {
  private static final Pattern TIME = Pattern.compile("time: .*");

  private PublishBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "/tmp/publish-bench");
    int minutes = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    String preset = args.length > 2 ? args[2] : "veryfast";
    Files.createDirectories(dir);
    Path video = dir.resolve("source-" + minutes + "min-720p.mp4");
    if (!Files.exists(video)) {
      long start = System.nanoTime();
      String ffmpeg = archy.testing.ExternalTools.find("ffmpeg");
      Process p = new ProcessBuilder(ffmpeg, "-hide_banner", "-loglevel", "error", "-nostdin", "-y",
          "-f", "lavfi", "-i", "testsrc2=duration=" + minutes * 60 + ":size=1280x720:rate=25",
          "-f", "lavfi", "-i", "sine=frequency=440:duration=" + minutes * 60 + ":sample_rate=44100",
          "-c:v", "libx264", "-preset", "ultrafast", "-crf", "18", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest",
          video.toString()).inheritIO().start();
      if (p.waitFor() != 0) throw new IllegalStateException("ffmpeg failed making the source");
      System.out.printf("source: %d min 720p, %.0f MB, made in %.0f s%n", minutes, Files.size(video) / 1e6,
          (System.nanoTime() - start) / 1e9);
    }
    // The publisher's side (its key file, the kept transcode) persists in <dir>/publisher; each run gets a fresh node.
    Path publisher = dir.resolve("publisher");
    Files.createDirectories(publisher);
    Path keyFile = publisher.resolve("publisher.key");
    if (!Files.exists(keyFile)) Files.writeString(keyFile, Keys.generate().secretHex() + "\n");
    Keys key = Keys.parse(Files.readString(keyFile).strip());
    Path data = Files.createTempDirectory(dir, "node-");
    int port = TestNode.freePort();
    String base = "http://127.0.0.1:" + port;
    ArchyNode node = PublishRuns.node(data, key, port, "\"film-catalog\"", "");
    try {
      for (String run : new String[] {"first run", "second run"}) {
        long start = System.nanoTime();
        PublishRuns.Run r = PublishRuns.film(base, publisher, "publish", video.toString(), "--title", "Benchmark",
            "--preset", preset, "--key", keyFile.toString());
        if (r.exit() != 0) throw new IllegalStateException(r.err());
        Matcher m = TIME.matcher(r.err());
        String uploaded = r.err().lines().filter(l -> l.startsWith("uploaded ")).findFirst().orElse("");
        String film = r.err().lines().filter(l -> l.startsWith("film ")).findFirst().orElse("");
        System.out.printf("%s: %.1f s wall; %s; %s; %s%n", run, (System.nanoTime() - start) / 1e9,
            m.find() ? m.group() : "?", film, uploaded);
      }
    } finally {
      node.close();
    }
  }
}
