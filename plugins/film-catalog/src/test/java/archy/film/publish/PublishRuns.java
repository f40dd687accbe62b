package archy.film.publish;

import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.config.Config;
import archy.config.ConfigLoader;
import archy.nostr.Keys;
import archy.server.ArchyNode;
import archy.testing.ExternalTools;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

/** Test videos made by ffmpeg, and {@code archy film …} runs in-process with their stdout and stderr captured. */
public final class PublishRuns {
  private PublishRuns() {}

  /** One run's exit code, stdout lines and stderr text. */
  public record Run(int exit, List<String> out, String err) {}

  /**
   * An H.264 + AAC file of {@code seconds} from an ffmpeg lavfi source ({@code testsrc}, {@code smptebars},
   * {@code rgbtestsrc}…) and a sine tone; skipped without ffmpeg, except in CI.
   */
  public static Path video(Path file, String source, int seconds, int toneHz) throws Exception {
    String ffmpeg = ExternalTools.find("ffmpeg");
    if (ffmpeg == null) ExternalTools.missing("ffmpeg not found on PATH, needed to publish a film");
    Process p = new ProcessBuilder(ffmpeg, "-hide_banner", "-loglevel", "error", "-nostdin", "-y",
        "-f", "lavfi", "-i", source + "=duration=" + seconds + ":size=640x360:rate=25",
        "-f", "lavfi", "-i", "sine=frequency=" + toneHz + ":duration=" + seconds + ":sample_rate=44100",
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", file.toString())
        .redirectErrorStream(true).start();
    String log = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(180, TimeUnit.SECONDS) && p.exitValue() == 0, "ffmpeg failed: " + log);
    return file;
  }

  /**
   * A real node with film-catalog on {@code port} whose node key (written to {@code data}/node.key, the default
   * publisher of {@code archy film}) is its trusted publisher; {@code extraToml} adds sections (e.g. paid-blobs).
   */
  public static ArchyNode node(Path data, Keys nodeKey, int port, String plugins, String extraToml) throws Exception {
    return node(data, nodeKey, port, plugins, "advertise = false\n", extraToml);
  }

  /** As above, with {@code catalogToml} the rest of the [film-catalog] section (e.g. advertising on). */
  public static ArchyNode node(Path data, Keys nodeKey, int port, String plugins, String catalogToml,
                               String extraToml) throws Exception {
    Files.createDirectories(data);
    Files.writeString(data.resolve("node.key"), nodeKey.secretHex() + "\n");
    String toml = "[plugins]\nenabled = [" + plugins + "]\n[film-catalog]\ntrusted_publishers = [\""
        + nodeKey.publicKeyHex() + "\"]\n" + catalogToml + extraToml;
    Config config = ConfigLoader.parse(toml, new ConfigLoader.Overrides("127.0.0.1", port, 0, data, null, null));
    return new ArchyNode(config, Clock.systemUTC()).start();
  }

  /** A started node and its base URL ({@code http://127.0.0.1:<port>}). */
  public record Started(ArchyNode node, String base) implements AutoCloseable {
    @Override
    public void close() {
      node.close();
    }
  }

  /** {@link #node} with film-catalog alone on a free port, {@code publisher} its node key and trusted publisher. */
  public static Started start(Path data, Keys publisher) throws Exception {
    int port = archy.testing.TestNode.freePort();
    return new Started(node(data, publisher, port, "\"film-catalog\"", ""), "http://127.0.0.1:" + port);
  }

  /** {@code archy film <args> --node <base> --data-dir <dataDir>}. */
  public static Run film(String base, Path dataDir, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--node", base, "--data-dir", dataDir.toString()));
    return film(all.toArray(String[]::new));
  }

  /** {@code archy film <args>} as given. */
  public static Run film(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new FilmCommand());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int exit = cl.execute(args);
    return new Run(exit, out.toString().lines().toList(), err.toString());
  }
}
