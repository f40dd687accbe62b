package archy.ecash.devmint;

import archy.ecash.keyset.Keyset;
import archy.ecash.mint.MintClient;
import archy.ecash.mint.MintQuote;
import archy.ecash.token.BlindSignature;
import archy.ecash.token.Proof;
import archy.ecash.wallet.BlindedOutput;
import archy.ecash.wallet.Outputs;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The few wallet steps the dev mint's tests repeat, over the protocol layer's {@link MintClient}. */
final class TestWallet {
  static final MintClient.Options FAST = new MintClient.Options(
      Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(20), 2, Duration.ofMillis(20));

  final MintClient client;
  final LightningNetwork network;
  Keyset keyset;

  TestWallet(DevMint mint) throws Exception {
    this.client = new MintClient(mint.url(), HttpClient.newHttpClient(), FAST);
    this.network = mint.network();
    refreshKeyset();
  }

  void refreshKeyset() throws Exception {
    keyset = client.activeKeysets().getFirst();
  }

  /** Random outputs for {@code amount} in the keyset's denominations, ascending. */
  List<BlindedOutput> outputs(long amount) {
    List<BlindedOutput> out = new ArrayList<>();
    for (long a : keyset.split(amount)) out.add(BlindedOutput.random(a, keyset.id()));
    return out;
  }

  /** Outputs of exactly these amounts. */
  List<BlindedOutput> outputsOf(long... amounts) {
    List<BlindedOutput> out = new ArrayList<>();
    for (long a : amounts) out.add(BlindedOutput.random(a, keyset.id()));
    return out;
  }

  /** Quote, pay from the faucet, mint. */
  List<Proof> mint(long amount) throws Exception {
    MintQuote quote = client.createMintQuote(amount, "sat", null, null);
    network.faucet().pay(quote.request());
    List<BlindedOutput> outputs = outputs(amount);
    List<BlindSignature> signatures = client.mint(quote.quote(), Outputs.messages(outputs), null);
    return Outputs.unblind(outputs, signatures, keyset);
  }

  List<Proof> swap(List<Proof> inputs, List<BlindedOutput> outputs) throws Exception {
    return Outputs.unblind(outputs, client.swap(inputs, Outputs.messages(outputs)), keyset);
  }

  static long sum(List<Proof> proofs) {
    return proofs.stream().mapToLong(Proof::amount).sum();
  }
}
