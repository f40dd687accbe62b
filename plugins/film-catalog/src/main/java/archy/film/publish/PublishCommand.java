package archy.film.publish;

import archy.film.did.CreatorKey;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code archy film publish}: see {@link Publisher}. */
@Command(name = "publish", mixinStandardHelpOptions = true,
    description = {"Publish a film: ffmpeg makes an HLS ladder and a poster from a video file (an HLS folder is "
        + "taken as it is), every playlist is rewritten to Blossom HLS formatting (children named <sha256>.ts / "
        + "<sha256>.m3u8), the blobs are uploaded with BUD-11 auth (HEAD first: what the node has is skipped), and "
        + "the signed kind 30082 goes to the node's relay; the node then advertises it (kind 30081, its own key).",
        "--private makes AES-128 HLS whose key the node hands only to granted viewers (./archy film grant).",
        "A re-run of the same input resumes: the transcode is kept in <data_dir>/plugins/film-catalog/publish/, "
            + "nothing is uploaded twice, and the same film (same d) is published again.",
        "Progress goes to stderr; stdout gets the film's d, its address (30082:<pubkey>:<d>) and its master URL."})
final class PublishCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "A video file (anything ffmpeg reads) or a folder holding an HLS film.")
  Path input;

  @Option(names = "--title", required = true, description = "The film's title.")
  String title;

  @Option(names = "--summary", description = "A short description.")
  String summary;

  @Option(names = "--genre", description = "A genre (repeatable; stored lowercase as t tags).")
  List<String> genres = new ArrayList<>();

  @Option(names = "--price", paramLabel = "SATS_PER_MB", description = "Monetize: price in sats per MB (10^6 bytes).")
  Long price;

  @Option(names = "--d", description = "The film's id (default: <input name>-<12 hex of the input's hash>).")
  String d;

  @Option(names = "--poster", description = "An image file for the poster (default: a frame of the video).")
  Path poster;

  @Option(names = "--ladder", split = ",", defaultValue = "360,720",
      description = "Rungs as height[:kbps], comma separated (default: ${DEFAULT-VALUE}).")
  List<String> ladder;

  @Option(names = "--segment-seconds", defaultValue = "6", description = "HLS segment length (default: ${DEFAULT-VALUE}).")
  int segmentSeconds;

  @Option(names = "--preset", defaultValue = "veryfast", description = "x264 preset (default: ${DEFAULT-VALUE}).")
  String preset;

  @Option(names = "--private", description = "AES-128 HLS: segments are encrypted, the key is kept by the node and "
      + "handed (NIP-98) only to the publisher and viewers granted with ./archy film grant <d> <npub>.")
  boolean encrypted;

  @Option(names = "--creator-key", paramLabel = "FILE",
      description = "A creator key file (./archy film keygen --creator): adds the did:key creator signature.")
  Path creatorKey;

  @Option(names = "--advert-wait-seconds", defaultValue = "20", description = "How long to wait for the node's "
      + "kind 30081 seed advert of a public film (0: do not wait; default: ${DEFAULT-VALUE}).")
  int advertWaitSeconds;

  @Mixin NodeOptions node;

  @Override
  public Integer call() throws Exception {
    try {
      if (price != null && price <= 0) throw new PublishException("--price must be a positive integer");
      if (segmentSeconds < 1 || segmentSeconds > 60) throw new PublishException("--segment-seconds must be 1..60");
      if (d != null && !archy.film.event.FilmEvent.isFilmId(d)) {
        throw new PublishException("--d must be 1-64 characters of [a-z0-9._-]");
      }
      List<Transcoder.Rung> rungs = new ArrayList<>();
      for (String s : ladder) rungs.add(Transcoder.Rung.parse(s));
      CreatorKey creator = creatorKey == null ? null : CreatorKey.read(creatorKey);
      Publisher.Request request = new Publisher.Request(input, d, title, summary, genres, price, poster,
          new Transcoder.Settings(rungs, segmentSeconds, preset), encrypted, creator);
      Publisher publisher = new Publisher(NodeOptions.http(), node.nodeUrl(), node.keys(), node.workDir(),
          Clock.systemUTC(), node.err());
      Publisher.Result r = publisher.publish(request);
      node.out().println(r.d());
      node.out().println("30082:" + r.event().pubkey() + ":" + r.d());
      node.out().println(node.nodeUrl() + "/" + r.masterSha256() + ".m3u8");
      node.err().println("published film " + r.d() + " (event " + r.event().id() + ")");
      if (!encrypted && advertWaitSeconds > 0) publisher.awaitAdvert(r, advertWaitSeconds);
      return 0;
    } catch (PublishException | IllegalArgumentException e) {
      node.err().println("archy film publish: " + e.getMessage());
      return 1;
    }
  }
}
