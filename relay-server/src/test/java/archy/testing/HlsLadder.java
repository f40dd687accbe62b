package archy.testing;

import archy.testing.HlsFilm.Blob;
import archy.testing.HlsFilm.Rendition;
import archy.testing.HlsFilm.Role;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Makes an {@link HlsFilm}: one ffmpeg run writes a two-rendition ladder with a master playlist, then every
 * playlist is rewritten bottom-up to Blossom's HLS formatting (a child's URI becomes its sha256 plus
 * extension, so a playlist's hash covers its children's hashes).
 */
final class HlsLadder {
  private static final int FFMPEG_TIMEOUT_SECONDS = 180;
  /** name, width, height, video bitrate: small enough to stay fast, two rungs so players can switch. */
  private static final List<String[]> RUNGS = List.of(
      new String[] {"240p", "426", "240", "250k"}, new String[] {"360p", "640", "360", "500k"});

  private HlsLadder() {}

  static HlsFilm make(HlsFilm.Spec spec) {
    String ffmpeg = ExternalTools.find("ffmpeg");
    if (ffmpeg == null) ExternalTools.missing("ffmpeg not found on PATH, needed to make the HLS test film");
    try {
      Path dir = Files.createTempDirectory("archy-hls-film-");
      deleteOnExit(dir);
      Path out = dir.resolve("ffmpeg");
      Files.createDirectory(out);
      run(command(ffmpeg, spec), out);
      HlsFilm film = rewrite(spec, out, dir);
      for (Blob b : film.blobs()) Files.write(dir.resolve(b.blossomName()), b.bytes());
      return film;
    } catch (IOException e) {
      throw new AssertionError("making the HLS test film failed", e);
    }
  }

  private static List<String> command(String ffmpeg, HlsFilm.Spec spec) {
    int seconds = spec.durationSeconds();
    int seg = spec.segmentSeconds();
    StringBuilder filter = new StringBuilder("[0:v]split=" + RUNGS.size());
    for (int i = 0; i < RUNGS.size(); i++) filter.append("[s").append(i).append(']');
    List<String> maps = new ArrayList<>();
    StringBuilder streamMap = new StringBuilder();
    List<String> bitrates = new ArrayList<>();
    for (int i = 0; i < RUNGS.size(); i++) {
      String[] r = RUNGS.get(i);
      filter.append(";[s%d]scale=%s:%s[v%d]".formatted(i, r[1], r[2], i));
      maps.addAll(List.of("-map", "[v" + i + "]", "-map", "1:a"));
      streamMap.append(i == 0 ? "" : " ").append("v:%d,a:%d,name:%s".formatted(i, i, r[0]));
      bitrates.addAll(List.of("-b:v:" + i, r[3]));
    }
    List<String> c = new ArrayList<>(List.of(ffmpeg, "-hide_banner", "-loglevel", "error", "-nostdin", "-y",
        "-f", "lavfi", "-i", "testsrc=duration=" + seconds + ":size=640x360:rate=25",
        "-f", "lavfi", "-i", "sine=frequency=" + spec.toneHz() + ":duration=" + seconds + ":sample_rate=44100",
        "-filter_complex", filter.toString()));
    c.addAll(maps);
    // Baseline H.264 + AAC plays in any MSE browser; a key frame on every segment boundary keeps segments even.
    c.addAll(List.of("-c:v", "libx264", "-preset", "ultrafast", "-profile:v", "baseline", "-pix_fmt", "yuv420p",
        "-force_key_frames", "expr:gte(t,n_forced*" + seg + ")"));
    c.addAll(bitrates);
    c.addAll(List.of("-c:a", "aac", "-b:a", "64k", "-ac", "2",
        "-f", "hls", "-hls_time", Integer.toString(seg), "-hls_playlist_type", "vod", "-hls_segment_type", "mpegts",
        "-hls_segment_filename", "seg_%v_%03d.ts", "-master_pl_name", "master.m3u8",
        "-var_stream_map", streamMap.toString(), "var_%v.m3u8"));
    return c;
  }

  private static void run(List<String> command, Path dir) throws IOException {
    Path log = dir.resolve("ffmpeg.log");
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    try {
      if (!p.waitFor(FFMPEG_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("ffmpeg did not finish in " + FFMPEG_TIMEOUT_SECONDS + " s");
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while ffmpeg ran", e);
    }
    if (p.exitValue() != 0) {
      throw new AssertionError("ffmpeg failed (exit " + p.exitValue() + "): " + command + "\n" + Files.readString(log));
    }
  }

  private static HlsFilm rewrite(HlsFilm.Spec spec, Path out, Path folder) throws IOException {
    List<Rendition> renditions = new ArrayList<>();
    List<String> masterLines = new ArrayList<>();
    for (String line : lines(out.resolve("master.m3u8"))) {
      if (!isUri(line)) {
        masterLines.add(line);
        continue;
      }
      String name = line.substring("var_".length(), line.length() - ".m3u8".length());
      List<Blob> segments = new ArrayList<>();
      List<String> variantLines = new ArrayList<>();
      for (String v : lines(out.resolve(line))) {
        if (!isUri(v)) {
          variantLines.add(v);
          continue;
        }
        Blob segment = Blob.of(Role.SEGMENT, Files.readAllBytes(out.resolve(v)));
        segments.add(segment);
        variantLines.add(segment.blossomName());
      }
      Blob variant = Blob.of(Role.VARIANT, joined(variantLines));
      renditions.add(new Rendition(name, Integer.parseInt(name.replace("p", "")), variant, segments));
      masterLines.add(variant.blossomName());
    }
    if (renditions.size() != RUNGS.size()) throw new AssertionError("ffmpeg wrote " + renditions.size() + " variants");
    return new HlsFilm(spec, Blob.of(Role.MASTER, joined(masterLines)), renditions, folder);
  }

  private static List<String> lines(Path playlist) throws IOException {
    List<String> lines = Files.readAllLines(playlist, StandardCharsets.UTF_8);
    for (String l : lines) {
      // Only plain URI lines are rewritten; keys, init segments or alternative media would need more.
      if (l.contains("URI=")) throw new AssertionError("unexpected URI attribute in " + playlist + ": " + l);
    }
    return lines;
  }

  private static boolean isUri(String line) {
    return !line.isBlank() && !line.startsWith("#");
  }

  private static byte[] joined(List<String> lines) {
    return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  private static void deleteOnExit(Path dir) {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try (Stream<Path> all = Files.walk(dir)) {
        all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException ignored) {
        // a temp dir left behind is harmless
      }
    }));
  }
}
