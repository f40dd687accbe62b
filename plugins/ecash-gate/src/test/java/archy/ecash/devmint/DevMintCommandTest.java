package archy.ecash.devmint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.cli.CliCommand;
import archy.ecash.mint.MintClient;
import archy.ecash.mint.MintQuote;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code archy mint}: found by the node's CLI through the {@link CliCommand} service, run as a real process. */
class DevMintCommandTest {
  @Test
  void theNodeCliFindsTheCommand() {
    List<String> found = ServiceLoader.load(CliCommand.class).stream().map(p -> p.type().getName()).toList();
    assertTrue(found.contains(DevMintCommand.class.getName()), found.toString());
    String usage = new CommandLine(new DevMintCommand()).getUsageMessage();
    assertTrue(usage.contains("--port") && usage.contains("mint"), usage);
  }

  @Test
  void printsItsUrlServesAutoPaidQuotesAndStopsOnSigterm() throws Exception {
    String java = ProcessHandle.current().info().command().orElseThrow();
    Process process = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
        System.getProperty("java.class.path"), "archy.cli.Main", "mint", "--port", "0", "--name", "cli-test")
        .redirectErrorStream(true).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String url = CompletableFuture.supplyAsync(() -> {
        try {
          return out.readLine();
        } catch (java.io.IOException e) {
          return null;
        }
      }).get(30, TimeUnit.SECONDS);
      assertNotNull(url);
      assertTrue(url.matches("http://127\\.0\\.0\\.1:\\d+"), url);
      MintClient client = new MintClient(url, HttpClient.newHttpClient(), TestWallet.FAST);
      assertEquals("cli-test", client.info().name());
      assertEquals(MintQuote.State.PAID, client.createMintQuote(21, "sat", null, null).state());
    } finally {
      process.destroy(); // SIGTERM
    }
    assertTrue(process.waitFor(15, TimeUnit.SECONDS), "stops on SIGTERM");
  }
}
