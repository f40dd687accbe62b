package archy.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.ecash.Db;
import archy.ecash.TestDb;
import archy.ecash.TestMint;
import archy.ecash.token.Token;
import archy.ecash.wallet.Wallet;
import archy.nostr.Keys;
import archy.store.Database;
import archy.testing.NodeScripts;
import archy.testing.PostgresSchema;
import archy.testing.TestNode;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The interop test: unmodified nostr-tools (its NIP-42 auth, NIP-44 v2, NIP-11) publishes two priced streams
 * and pays for them as a subscriber against a real node with ecash-gate and the dev mint (src/test/node/
 * stream-subscriber.mjs walks PROTOCOLS.md §7 and fails on the first step that differs). The tokens are minted here
 * and handed over in a file; afterwards the node's own tables must show exactly what the script was sold.
 */
class StreamNostrToolsInteropTest {
  private static final NodeScripts SCRIPTS = new NodeScripts(Path.of("src/test/node"));
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long PRICE = 3;

  @TempDir Path dir;

  @Test
  void onSqlite() throws Exception {
    run("", () -> Database.open("sqlite", dir.resolve("node")));
  }

  @Test
  void onPostgresql() throws Exception {
    try (PostgresSchema schema = PostgresSchema.create()) {
      run("[storage]\nurl = \"" + schema.storageUrl() + "\"\n", () -> Database.open(schema.storageUrl(), dir.resolve("reader")));
    }
  }

  private interface Opener {
    Database open();
  }

  private void run(String storage, Opener database) throws Exception {
    Keys publisher = Keys.generate();
    Keys subscriber = Keys.generate();
    try (TestMint mint = TestMint.start("interop-" + System.nanoTime(), dir.resolve("payer"));
         TestMint foreignMint = TestMint.start("foreign-" + System.nanoTime(), dir.resolve("foreign-payer"));
         TestNode node = TestNode.start(dir.resolve("node"), storage + StreamNodes.config(mint.url(), 100_000))) {
      Token spent = mint.token(PRICE);
      try (TestDb other = TestDb.sqlite(dir.resolve("elsewhere"))) {
        Wallet.open(other.db, TestMint.mints(List.of(mint.url())), Clock.systemUTC()).receive("elsewhere", spent);
      }
      Map<String, String> tokens = new LinkedHashMap<>();
      tokens.put("three", mint.token(3 * PRICE).encode());
      tokens.put("two", mint.token(2 * PRICE).encode());
      tokens.put("one", mint.token(PRICE).encode());
      tokens.put("twelve", mint.token(12 * PRICE).encode());
      tokens.put("other", mint.token(PRICE).encode());
      tokens.put("spent", spent.encode());
      tokens.put("foreign", foreignMint.token(PRICE).encode());
      Path input = dir.resolve("input.json");
      Files.writeString(input, JSON.writeValueAsString(Map.of("publisher", publisher.secretHex(),
          "subscriber", subscriber.secretHex(), "price", PRICE, "tokens", tokens)));

      NodeScripts.Result r = SCRIPTS.runScript("stream-subscriber.mjs", node.wsUrl(), input.toString());
      assertEquals(0, r.exitCode(), r.output());
      assertTrue(r.output().contains("paid-streams nostr-tools interop passed"), r.output());
      for (String token : tokens.values()) assertTrue(!r.output().contains(token), "the script printed a token");
      String[] lines = r.output().strip().split("\n");
      JsonNode summary = JSON.readTree(lines[lines.length - 1]);
      assertEquals(publisher.publicKeyHex(), summary.path("publisher").asText());

      try (Database db = database.open()) {
        Grants grants = new Grants(new Db(db.dataSource(), db.dialect()), Clock.systemUTC(), 0);
        String prices = summary.path("streams").path("prices").asText();
        String other = summary.path("streams").path("other").asText();
        // paid 3 + 2 + 1 + 12 observations of "prices", 16 delivered; 1 of "other", delivered
        assertEquals(new Grants.Grant(2 * PRICE, 16), grants.grant(subscriber.publicKeyHex(), prices));
        assertEquals(new Grants.Grant(0, 1), grants.grant(subscriber.publicKeyHex(), other));
        PublisherAccounts.Account account = PublisherAccounts.open(db).accounts().stream()
            .filter(a -> a.publisher().equals(publisher.publicKeyHex())).findFirst().orElseThrow();
        assertEquals(17, account.observationsSold(), account.toString());
        assertEquals(17 * PRICE, account.earnedSats() + account.relaySats(), account.toString());
      }
    }
  }
}
