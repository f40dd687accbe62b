package archy.ecash.devmint;

import archy.cli.CliCommand;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code archy mint}: one dev mint on its own fake Lightning network, with every mint quote paid at once, so a
 * wallet pointed at it gets test ecash immediately. Prints the mint's URL as its only line and serves until
 * SIGTERM or Ctrl-C. Found by {@code archy.cli.Main} through {@link CliCommand}.
 */
@Command(name = "mint", mixinStandardHelpOptions = true,
    description = "Run a Cashu dev mint on a fake Lightning network (mint quotes are paid automatically; "
        + "the ecash is worth nothing). Prints the mint URL, serves until stopped.")
public final class DevMintCommand implements CliCommand {
  @Option(names = "--port", defaultValue = "3338", description = "Port to listen on, 0 for any free one (default ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--name", defaultValue = "archy-dev-mint", description = "Mint name; the same name gives the same keys (default ${DEFAULT-VALUE}).")
  String name;

  @Option(names = "--input-fee-ppk", defaultValue = "0", description = "NUT-02 input fee in parts per thousand per input (default ${DEFAULT-VALUE}).")
  long inputFeePpk;

  @Override
  public Integer call() throws Exception {
    DevMint.Options options = DevMint.Options.defaults(name).withPort(port).withAutoPay(true).withInputFeePpk(inputFeePpk);
    DevMint mint = DevMint.start(new LightningNetwork(), options, host);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      mint.close();
      stopped.countDown();
    }, "devmint-shutdown"));
    System.out.println(mint.url());
    System.out.flush();
    stopped.await();
    return 0;
  }
}
