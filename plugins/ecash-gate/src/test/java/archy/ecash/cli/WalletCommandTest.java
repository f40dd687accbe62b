package archy.ecash.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.ecash.TestMint;
import archy.ecash.devmint.DevMint;
import archy.ecash.devmint.Invoice;
import archy.ecash.devmint.LightningNetwork;
import archy.testing.TestNode;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code archy wallet} as a user runs it: real processes on the node's configuration and database while the node
 * itself runs on that database, against two dev mints on one fake Lightning network.
 */
class WalletCommandTest {
  @TempDir Path dir;
  private LightningNetwork network;
  private DevMint a;
  private DevMint b;
  private DevMint down;
  private TestNode node;
  private WalletProcess wallet;

  @BeforeEach
  void start() throws Exception {
    network = new LightningNetwork();
    a = DevMint.start(network, DevMint.Options.defaults("cli-a").withAutoPay(true));
    b = DevMint.start(network, DevMint.Options.defaults("cli-b")); // paid only by a swap from a
    down = DevMint.start(network, DevMint.Options.defaults("cli-down"));
    down.close(); // allow-listed, but nobody answers there
    Path data = dir.resolve("data");
    String toml = """
        [server]
        data_dir = "%s"
        [plugins]
        enabled = ["ecash-gate"]
        [ecash-gate]
        mints = ["%s", "%s", "%s"]
        """.formatted(data.toString().replace("\\", "/"), a.url(), b.url(), down.url());
    Path config = dir.resolve("archy.toml");
    Files.writeString(config, toml);
    node = TestNode.start(data, toml); // the node runs on the same database all along
    wallet = new WalletProcess(config, dir);
  }

  @AfterEach
  void stop() {
    node.close();
    a.close();
    b.close();
  }

  @Test
  void everySubcommandOnTheNodesDatabaseWhileTheNodeRuns() throws Exception {
    WalletProcess.Result minted = wallet.run("mint", "1000", "--mint", a.url(), "--json");
    assertEquals(0, minted.exit(), minted.stderr());
    String[] lines = minted.stdout().strip().split("\n");
    assertTrue(lines[0].contains("\"invoice\":\"lnbcrt"), "the invoice first: " + lines[0]);
    assertEquals(1000, minted.json().get("minted").asLong());

    JsonNode balance = wallet.run("balance", "--json").json();
    assertEquals(1000, balance.get("total").asLong());
    JsonNode atA = balance.get("mints").get(0);
    assertEquals(a.url(), atA.get("url").asText());
    assertEquals(1000, atA.get("balance").asLong());
    assertEquals(0, atA.get("pending").asLong());
    assertEquals(0, atA.get("reserved").asLong());

    WalletProcess.Result sent = wallet.run("send", "100", "--json");
    assertEquals(0, sent.exit(), sent.stderr());
    String token = sent.json().get("token").asText();
    assertTrue(token.startsWith("cashuB"), token);
    JsonNode pending = wallet.run("pending", "--json").json();
    assertEquals(1, pending.size(), pending.toString());
    assertEquals("send", pending.get(0).get("type").asText());

    try (TestMint other = TestMint.start("cli-other", dir.resolve("other"))) {
      // a token of a mint that is not on the allow-list: refused, nothing moved
      WalletProcess.Result foreign = wallet.run("receive", other.token(5).encode(), "--json");
      assertEquals(1, foreign.exit(), foreign.stdout());
      assertTrue(foreign.json().get("error").asText().contains("allow-list"), foreign.stdout());
    }
    WalletProcess.Result received = wallet.run("receive", token, "--json"); // our own token, taken back
    assertEquals(0, received.exit(), received.stderr());
    assertEquals(100, received.json().get("received").asLong());

    WalletProcess.Result swap = wallet.run("swap", "200", "--from", a.url(), "--to", b.url(), "--json");
    assertEquals(0, swap.exit(), swap.stderr());
    assertEquals("completed", swap.json().get("state").asText());
    long swapFee = swap.json().get("fee").asLong();

    Invoice invoice = network.faucet().createInvoice(50, "pay out", Duration.ofMinutes(10));
    WalletProcess.Result melt = wallet.run("melt", invoice.request(), "--mint", b.url(), "--json");
    assertEquals(0, melt.exit(), melt.stderr());
    assertEquals("paid", melt.json().get("state").asText());
    long meltFee = melt.json().get("fee").asLong();

    JsonNode after = wallet.run("balance", "--json").json();
    assertEquals(1000 - swapFee - 50 - meltFee, after.get("total").asLong(), after.toString());

    JsonNode history = wallet.run("history", "--json").json();
    List<String> types = new ArrayList<>();
    history.forEach(e -> {
      types.add(e.get("type").asText());
      assertTrue(e.has("amount") && e.has("fee") && e.has("at"), e.toString());
    });
    assertTrue(types.containsAll(List.of("mint", "send", "receive", "swap", "melt")), types.toString());
    assertEquals(5, types.size(), "the swap's own mint and melt (and splits) are part of it: " + types);

    JsonNode pairs = wallet.run("pairs", "--json").json();
    assertEquals(1, pairs.size());
    assertEquals(1, pairs.get(0).get("successes").asLong());
    assertTrue(pairs.get(0).get("paused_until").isNull());

    WalletProcess.Result resume = wallet.run("resume", "--json");
    assertEquals(0, resume.exit(), resume.stdout() + resume.stderr());
    assertEquals(0, wallet.run("pending", "--json").json().size(), "nothing pending once our own token came back");
  }

  @Test
  void errorsSayWhatIsWrongWithTheirExitCode() throws Exception {
    WalletProcess.Result poor = wallet.run("send", "5", "--json");
    assertEquals(1, poor.exit());
    assertTrue(poor.json().get("error").asText().contains("not enough funds"), poor.stdout());

    WalletProcess.Result unlisted = wallet.run("swap", "10", "--from", "http://127.0.0.1:1", "--to", b.url());
    assertEquals(1, unlisted.exit());
    assertTrue(unlisted.stderr().contains("allow-list"), unlisted.stderr());

    WalletProcess.Result unreachable = wallet.run("mint", "10", "--mint", down.url(), "--json");
    assertEquals(3, unreachable.exit(), unreachable.stdout());
    assertTrue(unreachable.json().get("error").asText().contains("could not be reached"), unreachable.stdout());

    assertEquals(0, wallet.run("mint", "300", "--mint", a.url()).exit());
    WalletProcess.Result costly = wallet.run("swap", "200", "--from", a.url(), "--to", b.url(), "--max-fee", "0");
    assertEquals(1, costly.exit(), costly.stdout());
    assertTrue(costly.stdout().contains("cap"), costly.stdout());
    assertEquals(300, wallet.run("balance", "--json").json().get("total").asLong(), "nothing moved");

    WalletProcess.Result usage = wallet.run("send", "many");
    assertEquals(2, usage.exit());
  }
}
