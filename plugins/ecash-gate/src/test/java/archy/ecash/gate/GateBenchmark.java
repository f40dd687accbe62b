package archy.ecash.gate;

import archy.ecash.Db;
import archy.ecash.TestDb;
import archy.ecash.TestMint;
import archy.ecash.wallet.Wallet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * JMH: a gate decision inside a funded session (issue 4 target: ≤ 20 µs median), with and without the debit that
 * follows a delivery. The session lives in a real SQLite file; its balance is re-read from it every 5 s, as in
 * production. Not a unit test; run it with {@link #main} (command in docs/benchmarks.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class GateBenchmark {
  private static final String SESSION = "0123456789abcdef0123456789abcdef";

  private Path dir;
  private TestDb store;
  private EcashPaymentGate gate;

  @Setup
  public void setUp() throws Exception {
    dir = Files.createTempDirectory("gate-bench");
    store = TestDb.sqlite(dir);
    GateConfig config = GateSetup.config(List.of(), true);
    gate = new EcashPaymentGate(store.db, Wallet.open(store.db, TestMint.mints(List.of()), Clock.systemUTC()), config,
        Clock.systemUTC());
    store.db.tx(c -> Db.update(c, "INSERT INTO ecash_gate_sessions (id, service, scope, balance, credited, debited, "
        + "created, updated) VALUES (?, 'content-download', 'film', ?, ?, 0, 0, 0)", SESSION, Long.MAX_VALUE / 4,
        Long.MAX_VALUE / 4));
  }

  @TearDown
  public void tearDown() throws Exception {
    gate.flush();
    store.close();
  }

  @Benchmark
  public Decision authorize() {
    return gate.authorize(SESSION, PaymentGate.CONTENT_DOWNLOAD, "film", 65_536);
  }

  @Benchmark
  public long authorizeAndDebit() {
    Decision d = gate.authorize(SESSION, PaymentGate.CONTENT_DOWNLOAD, "film", 65_536);
    return d instanceof Decision.Allowed ? gate.debit(SESSION, PaymentGate.CONTENT_DOWNLOAD, "film", 65_536) : -1;
  }

  public static void main(String[] args) throws Exception {
    new Runner(new OptionsBuilder().include(GateBenchmark.class.getName()).build()).run();
  }
}
