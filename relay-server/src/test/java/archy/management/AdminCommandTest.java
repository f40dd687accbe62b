package archy.management;

import static archy.testing.RelayCalls.now;
import static archy.testing.RelayCalls.publish;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.cli.Main;
import archy.nostr.EventSigner;
import archy.nostr.Keys;
import archy.testing.TestNode;
import archy.testing.WsClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code archy admin}: the operator's way to call NIP-86, signing with the node key from the data dir. */
class AdminCommandTest {
  @TempDir Path dir;

  @Test
  void bansAKeyWithTheNodeKeyAndListsIt() throws Exception {
    String npub;
    try (TestNode first = TestNode.start(dir, "")) {
      npub = first.node.keys().npub();
    }
    Path config = Files.writeString(dir.resolve("archy.toml"), "");
    Keys spammer = Keys.generate();
    try (TestNode node = TestNode.start(dir, "[relay]\nadmins = [\"" + npub + "\"]\n");
         WsClient ws = WsClient.connectSkippingAuth(node.wsUrl())) {
      String[] common = {"--url", node.wsUrl(), "--data-dir", dir.toString(), "--config", config.toString()};
      Run ban = run(common, "admin", "banpubkey", spammer.npub(), "spam");
      assertEquals(0, ban.code(), ban.out());
      assertTrue(ban.out().strip().endsWith("true"), ban.out()); // the node logs to the same stdout here
      assertTrue(publish(ws, EventSigner.sign(spammer, now(), 1, List.of(), "x")).path(3).asText()
          .startsWith("blocked:"));
      Run list = run(common, "admin", "listbannedpubkeys");
      assertTrue(list.out().contains(spammer.publicKeyHex()) && list.out().contains("spam"), list.out());
      Run kind = run(common, "admin", "allowkind", "1");
      assertEquals(0, kind.code(), "a whole-number param is sent as a number");
      Run printed = run(common, "admin", "--print-header", "listblockedips");
      String[] lines = printed.out().strip().split("\n");
      ManagementApiTest.Answer sent = ManagementApiTest.call(node.httpUrl(),
          lines[lines.length - 1].substring("Authorization: ".length()), lines[lines.length - 2]);
      assertEquals(200, sent.status(), "what --print-header prints is a call curl can send: " + printed.out());
      assertEquals("[]", sent.result().toString());
      Run wrongKey = run(common, "admin", "supportedmethods", "--key", Keys.generate().secretHex());
      assertEquals(4, wrongKey.code(), "another key is not an admin: 401");
    }
  }

  record Run(int code, String out) {}

  private static Run run(String[] common, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream previousOut = System.out;
    PrintStream previousErr = System.err;
    String[] all = new String[args.length + common.length];
    System.arraycopy(args, 0, all, 0, args.length);
    System.arraycopy(common, 0, all, args.length, common.length);
    try {
      System.setOut(new PrintStream(out, true));
      System.setErr(new PrintStream(out, true));
      return new Run(Main.commandLine().execute(all), out.toString());
    } finally {
      System.setOut(previousOut);
      System.setErr(previousErr);
    }
  }
}
