package archy.ecash.gate;

import archy.ecash.TestDb;
import archy.ecash.TestMint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Token redeem end to end against the local dev mint over HTTP: decode, checks (DLEQ included), claim, NUT-03
 * swap, unblind with DLEQ checks, credit and ledger in SQLite. Tokens (1–4 proofs) are made first by a payer wallet
 * and not timed. A main, not a test: {@code java -cp … archy.ecash.gate.RedeemBenchmark [count]}.
 */
public final class RedeemBenchmark {
  private RedeemBenchmark() {}

  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 400;
    Path dir = Files.createTempDirectory("redeem-bench");
    try (TestMint mint = TestMint.start("redeem-bench", dir.resolve("payer"));
         TestDb store = TestDb.sqlite(dir.resolve("node"))) {
      EcashPaymentGate gate = GateSetup.gate(store, GateSetup.config(List.of(mint.url()), true), Clock.systemUTC());
      Random random = new Random(1);
      List<String> tokens = new ArrayList<>();
      for (int i = 0; i < count + 50; i++) tokens.add(mint.token(1 + random.nextInt(15)).encode());
      long[] nanos = new long[count];
      for (int i = 0; i < tokens.size(); i++) {
        long t0 = System.nanoTime();
        Redeem r = gate.redeem(tokens.get(i), PaymentGate.CONTENT_DOWNLOAD, "film", "s" + (i % 10));
        long took = System.nanoTime() - t0;
        if (!(r instanceof Redeem.Credited)) throw new IllegalStateException("not credited: " + r);
        if (i >= 50) nanos[i - 50] = took; // the first 50 warm the JIT and the keyset cache
      }
      Arrays.sort(nanos);
      System.out.printf("%s %s: %d redeems, p50 %.2f ms, p99 %.2f ms, max %.2f ms%n", Runtime.version(),
          System.getProperty("java.vm.name"), count, nanos[count / 2] / 1e6, nanos[count * 99 / 100] / 1e6,
          nanos[count - 1] / 1e6);
    }
  }
}
