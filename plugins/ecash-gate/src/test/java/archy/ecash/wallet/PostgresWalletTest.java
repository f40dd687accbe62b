package archy.ecash.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.ecash.TestDb;
import archy.ecash.TestMint;
import archy.ecash.devmint.DevMint;
import archy.ecash.token.Proof;
import archy.ecash.token.Token;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two wallet instances, each with its own connection pool, on one PostgreSQL schema: two relay processes sharing
 * a database. They spend from the same proofs at once and never spend one proof twice.
 */
class PostgresWalletTest {
  @TempDir Path dir;

  @Test
  void twoProcessesNeverSpendTheSameProof() throws Exception {
    try (TestMint mint = TestMint.start(DevMint.Options.defaults("pg-wallets").withResponseCache(false),
        dir.resolve("payer")); TestDb first = TestDb.postgres(dir); TestDb second = first.another()) {
      Wallet a = Wallet.open(first.db, TestMint.mints(List.of(mint.url())), Clock.systemUTC());
      Wallet b = Wallet.open(second.db, TestMint.mints(List.of(mint.url())), Clock.systemUTC());
      for (int i = 0; i < 4; i++) mint.fund(a, 250); // 4 × (128+64+32+16+8+2): many small proofs to fight over
      long funded = a.balance(mint.url());
      assertEquals(1000, funded);

      ConcurrentLinkedQueue<Token> sent = new ConcurrentLinkedQueue<>();
      ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
      CountDownLatch go = new CountDownLatch(1);
      List<Thread> threads = new ArrayList<>();
      for (Wallet w : List.of(a, b, a, b)) {
        threads.add(Thread.ofPlatform().start(() -> {
          try {
            go.await();
            for (int i = 0; i < 12; i++) {
              try {
                sent.add(w.send(mint.url(), 3 + i % 5));
              } catch (WalletException refused) {
                failures.add(refused);
                return;
              }
            }
          } catch (Throwable t) {
            failures.add(t);
          }
        }));
      }
      go.countDown();
      for (Thread t : threads) t.join();
      assertTrue(failures.isEmpty(), "no send hit 11001 or failed otherwise: " + failures);

      Set<String> secrets = new HashSet<>();
      long out = 0;
      for (Token t : sent) {
        for (Proof p : t.proofs()) assertTrue(secrets.add(p.secret()), "a proof went out in two tokens");
        out += t.amount();
      }
      assertEquals(48, sent.size(), "every send succeeded");
      assertEquals(funded, out + a.balance(mint.url()), "value is conserved: sent + held = funded");
      assertEquals(a.balance(mint.url()), b.balance(mint.url()), "one wallet, seen from both processes");
      try (TestDb other = TestDb.sqlite(dir.resolve("receiver"))) {
        Wallet receiver = Wallet.open(other.db, TestMint.mints(List.of(mint.url())), Clock.systemUTC());
        int i = 0;
        for (Token t : sent) receiver.receive("r" + i++, t); // the mint accepts every token: none was double-spent
        assertEquals(out, receiver.balance(mint.url()));
      }
    }
  }
}
