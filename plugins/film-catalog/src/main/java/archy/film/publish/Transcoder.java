package archy.film.publish;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntConsumer;

/**
 * Runs Debian's ffmpeg: one pass makes the HLS ladder (H.264 + AAC in MPEG-TS segments, a key frame on every
 * segment boundary so segments are even and every rung switches cleanly), another a JPEG poster from one frame.
 * Output is plain ffmpeg HLS ({@code master.m3u8}, {@code v<height>.m3u8}, {@code v<height>_NNN.ts});
 * {@link BlossomHls} renames it afterwards.
 */
final class Transcoder {
  /** One rung: output height in pixels and video bitrate in kbit/s. */
  record Rung(int height, int kbps) {
    /** {@code 360} or {@code 360:800}; the bitrate defaults to what suits the height. */
    static Rung parse(String s) {
      String[] parts = s.trim().toLowerCase(Locale.ROOT).replace("p", "").split(":");
      int height = Integer.parseInt(parts[0]);
      if (height < 72 || height > 4320 || height % 2 != 0) {
        throw new IllegalArgumentException("rung height must be even, 72..4320: " + s);
      }
      int kbps = parts.length > 1 ? Integer.parseInt(parts[1]) : Math.max(200, height * height / 185);
      return new Rung(height, kbps);
    }
  }

  record Settings(List<Rung> ladder, int segmentSeconds, String preset) {}

  private final String ffmpeg;
  private final String ffprobe;
  private final PrintWriter progress;
  private final IntConsumer percent;

  private Transcoder(String ffmpeg, String ffprobe, PrintWriter progress, IntConsumer percent) {
    this.ffmpeg = ffmpeg;
    this.ffprobe = ffprobe;
    this.progress = progress;
    this.percent = percent;
  }

  /** @throws PublishException when ffmpeg or ffprobe is not on PATH (with how to get them) */
  static Transcoder find(PrintWriter progress) {
    return find(progress, p -> { });
  }

  /**
   * As {@link #find(PrintWriter)}, also telling {@code percent} how far the ladder got (0..100, each change once):
   * the backstage page shows it.
   */
  static Transcoder find(PrintWriter progress, IntConsumer percent) {
    String ffmpeg = onPath("ffmpeg");
    String ffprobe = onPath("ffprobe");
    if (ffmpeg == null || ffprobe == null) {
      throw new PublishException("ffmpeg and ffprobe are needed to transcode a video file and were not found on "
          + "PATH; install them (Debian: apt-get install ffmpeg), or publish an HLS folder instead");
    }
    return new Transcoder(ffmpeg, ffprobe, progress, percent);
  }

  private static String onPath(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      Path p = Path.of(dir.isEmpty() ? "." : dir, name);
      if (Files.isExecutable(p)) return p.toString();
    }
    return null;
  }

  /** The input's duration in seconds, and whether it has a sound track. */
  record Probe(double seconds, boolean audio) {}

  Probe probe(Path input) throws IOException {
    String duration = capture(List.of(ffprobe, "-v", "error", "-show_entries", "format=duration",
        "-of", "default=noprint_wrappers=1:nokey=1", input.toString())).strip();
    String audio = capture(List.of(ffprobe, "-v", "error", "-select_streams", "a", "-show_entries",
        "stream=index", "-of", "csv=p=0", input.toString())).strip();
    double seconds;
    try {
      seconds = Double.parseDouble(duration);
    } catch (NumberFormatException e) {
      throw new PublishException("ffprobe could not read a duration from " + input + ": '" + duration + "'");
    }
    if (!(seconds > 0)) throw new PublishException(input + " has no duration; is it a video?");
    return new Probe(seconds, !audio.isEmpty());
  }

  /**
   * AES-128 HLS (a private film): every segment encrypted with the 16 bytes in {@code keyFile}, the IV the
   * segment's media sequence number (the HLS default), and {@code keyUri} written as each playlist's
   * {@code #EXT-X-KEY} URI. ffmpeg reads both from a key info file.
   */
  record Encryption(java.net.URI keyUri, Path keyFile) {}

  /**
   * Writes the ladder into {@code out} (created), reporting progress; returns the master playlist.
   * @param encryption null for a public (plaintext) film
   */
  Path ladder(Path input, Probe probe, Settings s, Encryption encryption, Path out) throws IOException {
    Files.createDirectories(out);
    int n = s.ladder().size();
    StringBuilder filter = new StringBuilder("[0:v]split=" + n);
    for (int i = 0; i < n; i++) filter.append("[s").append(i).append(']');
    List<String> c = new ArrayList<>(List.of(ffmpeg, "-hide_banner", "-loglevel", "error", "-nostdin", "-y",
        "-progress", "pipe:1", "-nostats", "-i", input.toString()));
    List<String> maps = new ArrayList<>();
    StringBuilder streamMap = new StringBuilder();
    for (int i = 0; i < n; i++) {
      Rung r = s.ladder().get(i);
      filter.append(";[s%d]scale=-2:%d[v%d]".formatted(i, r.height(), i));
      maps.addAll(List.of("-map", "[v" + i + "]"));
      if (probe.audio()) maps.addAll(List.of("-map", "0:a:0"));
      maps.addAll(List.of("-b:v:" + i, r.kbps() + "k", "-maxrate:v:" + i, (r.kbps() * 3 / 2) + "k",
          "-bufsize:v:" + i, (r.kbps() * 2) + "k"));
      streamMap.append(i == 0 ? "" : " ").append(probe.audio() ? "v:%d,a:%d".formatted(i, i) : "v:" + i)
          .append(",name:").append(r.height());
    }
    c.addAll(List.of("-filter_complex", filter.toString()));
    c.addAll(maps);
    // Main-profile H.264 and AAC play in every MSE browser and native HLS player.
    c.addAll(List.of("-c:v", "libx264", "-preset", s.preset(), "-profile:v", "main", "-pix_fmt", "yuv420p",
        "-force_key_frames", "expr:gte(t,n_forced*" + s.segmentSeconds() + ")", "-sc_threshold", "0"));
    if (probe.audio()) c.addAll(List.of("-c:a", "aac", "-b:a", "128k", "-ac", "2"));
    if (encryption != null) {
      Path info = out.resolveSibling("key-info.txt");
      Files.writeString(info, encryption.keyUri() + "\n" + encryption.keyFile().toAbsolutePath() + "\n");
      c.addAll(List.of("-hls_key_info_file", info.toString()));
    }
    c.addAll(List.of("-f", "hls", "-hls_time", Integer.toString(s.segmentSeconds()), "-hls_playlist_type", "vod",
        "-hls_segment_type", "mpegts", "-hls_segment_filename", "v%v_%04d.ts", "-master_pl_name", "master.m3u8",
        "-var_stream_map", streamMap.toString(), "v%v.m3u8"));
    run(c, out, probe.seconds(), "transcode");
    return out.resolve("master.m3u8");
  }

  /** A JPEG poster (at most 1280 wide) from the frame at {@code atSeconds}. */
  void poster(Path input, double atSeconds, Path file) throws IOException {
    run(List.of(ffmpeg, "-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-ss",
        String.format(Locale.ROOT, "%.2f", atSeconds), "-i", input.toString(), "-frames:v", "1",
        "-vf", "scale='min(1280,iw)':-2", "-q:v", "3", file.toString()), file.getParent(), 0, "poster");
    if (!Files.isRegularFile(file) || Files.size(file) == 0) throw new PublishException("ffmpeg made no poster frame");
  }

  private void run(List<String> command, Path dir, double seconds, String what) throws IOException {
    Path log = Files.createTempFile("archy-ffmpeg-", ".log");
    Process p = null;
    try {
      p = new ProcessBuilder(command).directory(dir.toFile()).redirectError(log.toFile()).start();
      try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        int shown = -1;
        for (String line; (line = out.readLine()) != null; ) {
          // Reading the pipe does not notice an interrupt (a stopping node); ffmpeg's lines, twice a second, do.
          if (Thread.currentThread().isInterrupted()) throw new InterruptedException();
          // -progress writes key=value lines; out_time_us is how far the output got.
          if (seconds > 0 && line.startsWith("out_time_us=") && !line.endsWith("N/A")) {
            int pct = (int) Math.min(100, Long.parseLong(line.substring(12)) / 1e4 / seconds);
            if (pct != shown) {
              progress.print("\r" + what + " " + Bar.of(pct));
              progress.flush();
              percent.accept(pct);
              shown = pct;
            }
          }
        }
      }
      int exit = p.waitFor();
      if (seconds > 0) progress.println();
      progress.flush();
      if (exit != 0) {
        throw new PublishException("ffmpeg " + what + " failed (exit " + exit + "): " + Files.readString(log).strip());
      }
    } catch (InterruptedException e) {
      // A stopped node (or a cancelled backstage job) must not leave ffmpeg running.
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new PublishException("interrupted while ffmpeg ran");
    } finally {
      Files.deleteIfExists(log);
    }
  }

  private static String capture(List<String> command) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (p.waitFor() != 0) throw new PublishException(command.get(0) + " failed: " + out.strip());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PublishException("interrupted while ffprobe ran");
    }
    return out;
  }
}
