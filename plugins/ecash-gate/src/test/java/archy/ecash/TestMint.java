package archy.ecash;

import archy.ecash.devmint.DevMint;
import archy.ecash.devmint.LightningNetwork;
import archy.ecash.mint.MintClient;
import archy.ecash.token.Token;
import archy.ecash.wallet.MintInvoice;
import archy.ecash.wallet.Mints;
import archy.ecash.wallet.Wallet;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * A dev mint over HTTP on 127.0.0.1 on its own fake Lightning network, plus a payer: a wallet of its own (its own
 * SQLite file and seed) that mints ecash at the dev mint and hands out tokens, as a client would.
 */
public final class TestMint implements AutoCloseable {
  /** Short timeouts, so tests of unreachable mints do not wait. */
  public static final MintClient.Options FAST = new MintClient.Options(
      Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(30), 2, Duration.ofMillis(20));

  public final LightningNetwork network;
  public final DevMint mint;
  private final TestDb payerDb;
  private final Wallet payer;

  private TestMint(LightningNetwork network, DevMint mint, Path payerDir) throws Exception {
    this.network = network;
    this.mint = mint;
    this.payerDb = TestDb.sqlite(payerDir);
    this.payer = Wallet.open(payerDb.db, mints(List.of(mint.url())), Clock.systemUTC());
  }

  public static TestMint start(String name, Path payerDir) throws Exception {
    return start(DevMint.Options.defaults(name), payerDir);
  }

  public static TestMint start(DevMint.Options options, Path payerDir) throws Exception {
    LightningNetwork network = new LightningNetwork();
    return new TestMint(network, DevMint.start(network, options), payerDir);
  }

  public String url() {
    return mint.url();
  }

  /** Mints known to a wallet: the allow-list, with fast clients. */
  public static Mints mints(List<String> urls) {
    return new Mints(urls, url -> new MintClient(url, HttpClient.newHttpClient(), FAST), Clock.systemUTC(),
        Duration.ofMinutes(5));
  }

  /** Fills a wallet with {@code amount} sat minted here (NUT-04: quote, the faucet pays, mint). */
  public void fund(Wallet wallet, long amount) throws Exception {
    MintInvoice invoice = wallet.requestMint(url(), amount);
    network.faucet().pay(invoice.bolt11());
    if (wallet.completeMint(invoice.opId()) != amount) throw new AssertionError("minting did not complete");
  }

  /** A token worth exactly {@code amount} from the payer (funded on demand). */
  public Token token(long amount) throws Exception {
    if (payer.balance(url()) < amount) fund(payer, Math.max(amount, 10_000));
    return payer.send(url(), amount);
  }

  public Wallet payer() {
    return payer;
  }

  @Override
  public void close() throws Exception {
    mint.close();
    payerDb.close();
  }
}
