package archy.ecash.devmint;

import archy.cli.CliCommand;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code archy mint}: dev mints on one fake Lightning network, so a cross-mint swap between them is one command
 * away. Mint quotes are paid by the network's faucet (at once with one mint; after a delay with several, so that a
 * swap's source mint pays the target's invoice first). Invoices no mint here issued are paid as nutshell's
 * FakeWallet pays them, unless {@code --no-outside-payments} (then they fail with "no route"). Prints each mint's
 * URL on a line of its own and serves until SIGTERM or Ctrl-C. Found by {@code archy.cli.Main} through
 * {@link CliCommand}.
 */
@Command(name = "mint", mixinStandardHelpOptions = true,
    description = "Run Cashu dev mints on one fake Lightning network (mint quotes are paid automatically; the "
        + "ecash is worth nothing). Prints one mint URL per line, serves until stopped.")
public final class DevMintCommand implements CliCommand {
  @Option(names = "--port", defaultValue = "3338", split = ",",
      description = "Port to listen on, 0 for any free one; repeat it for several mints (default ${DEFAULT-VALUE}).")
  List<Integer> ports;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--name", defaultValue = "archy-dev-mint",
      description = "Mint name, suffixed -2, -3, … for further mints; the same name gives the same keys (default ${DEFAULT-VALUE}).")
  String name;

  @Option(names = "--input-fee-ppk", defaultValue = "0", description = "NUT-02 input fee in parts per thousand per input (default ${DEFAULT-VALUE}).")
  long inputFeePpk;

  @Option(names = "--autopay-delay-seconds",
      description = "Seconds before the faucet pays a mint quote (default 0 with one mint, 5 with several).")
  Long autopayDelaySeconds;

  @Option(names = "--outside-payments", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Pay invoices no mint here issued, as nutshell's FakeWallet does (default); "
          + "--no-outside-payments makes them fail with no route.")
  boolean outsidePayments;

  @Override
  public Integer call() throws Exception {
    LightningNetwork network = new LightningNetwork();
    network.payOutside(outsidePayments);
    Duration delay = Duration.ofSeconds(autopayDelaySeconds != null ? autopayDelaySeconds : ports.size() > 1 ? 5 : 0);
    List<DevMint> mints = new ArrayList<>();
    try {
      for (int i = 0; i < ports.size(); i++) {
        DevMint.Options options = DevMint.Options.defaults(i == 0 ? name : name + "-" + (i + 1)).withPort(ports.get(i))
            .withAutoPayAfter(delay).withInputFeePpk(inputFeePpk);
        mints.add(DevMint.start(network, options, host));
      }
    } catch (Exception e) {
      mints.forEach(DevMint::close);
      throw e;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      mints.forEach(DevMint::close);
      stopped.countDown();
    }, "devmint-shutdown"));
    for (DevMint m : mints) System.out.println(m.url());
    System.out.flush();
    stopped.await();
    return 0;
  }
}
