package archy.cli;

import archy.config.Config;
import archy.config.ConfigLoader;
import archy.server.ArchyNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine.Command;

/**
 * {@code archy train}: the run the JDK's AOT cache learns start-up from ({@code ./archy build} runs it under
 * {@code -XX:AOTCacheOutput} on JDK 25+). It starts a node with the embedded defaults on a temporary data
 * directory and a free port, asks it what a client asks first (NIP-11, a REQ over WebSocket, a Blossom HEAD) and
 * stops, so the classes of a start and of a first answer are loaded and linked before the next {@code ./archy run}.
 */
@Command(name = "train", hidden = true,
    description = "Start a throwaway node, query it once and stop (the training run of ./archy build's AOT cache).")
final class TrainCommand implements Callable<Integer> {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @Override
  public Integer call() throws Exception {
    Path dir = Files.createTempDirectory("archy-train");
    try {
      Config config = ConfigLoader.load(null, new ConfigLoader.Overrides("127.0.0.1", 0, 0, dir, "sqlite", null));
      ArchyNode node = new ArchyNode(config, Clock.systemUTC()).start();
      try (node; HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build()) {
        URI base = node.httpUrl();
        http.send(HttpRequest.newBuilder(base).header("Accept", "application/nostr+json").timeout(TIMEOUT).build(),
            HttpResponse.BodyHandlers.ofString());
        http.send(HttpRequest.newBuilder(base.resolve("/" + "0".repeat(64)))
            .method("HEAD", HttpRequest.BodyPublishers.noBody()).timeout(TIMEOUT).build(),
            HttpResponse.BodyHandlers.discarding());
        CompletableFuture<Void> eose = new CompletableFuture<>();
        WebSocket ws = http.newWebSocketBuilder().connectTimeout(TIMEOUT)
            .buildAsync(URI.create(base.toString().replaceFirst("^http", "ws")), new WebSocket.Listener() {
              @Override
              public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                if (data.toString().startsWith("[\"EOSE\"")) eose.complete(null);
                socket.request(1);
                return null;
              }
            }).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        ws.sendText("[\"REQ\",\"train\",{\"kinds\":[1],\"limit\":10}]", true);
        eose.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      }
      return 0;
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
