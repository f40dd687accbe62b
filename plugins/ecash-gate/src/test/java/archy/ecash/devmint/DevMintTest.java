package archy.ecash.devmint;

import static archy.ecash.devmint.TestWallet.sum;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.ecash.crypto.Scalar;
import archy.ecash.keyset.Keyset;
import archy.ecash.keyset.KeysetInfo;
import archy.ecash.lightning.Bolt11;
import archy.ecash.mint.MintClient;
import archy.ecash.mint.MintException;
import archy.ecash.mint.MintInfo;
import archy.ecash.mint.MintQuote;
import archy.ecash.mint.MintRejectedException;
import archy.ecash.mint.MintUnavailableException;
import archy.ecash.mint.NutError;
import archy.ecash.mint.ProofState;
import archy.ecash.mint.Restored;
import archy.ecash.token.BlindSignature;
import archy.ecash.token.BlindedMessage;
import archy.ecash.token.Proof;
import archy.ecash.wallet.BlindedOutput;
import archy.ecash.wallet.Outputs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The dev mint over real HTTP on 127.0.0.1, driven by the protocol layer's {@link MintClient}. */
class DevMintTest {
  private LightningNetwork network;
  private DevMint mint;
  private TestWallet wallet;

  @BeforeEach
  void start() throws Exception {
    network = new LightningNetwork();
    mint = DevMint.start(network, DevMint.Options.defaults("test-mint"));
    wallet = new TestWallet(mint);
  }

  @AfterEach
  void stop() {
    mint.close();
  }

  @Test
  void infoKeysAndKeysets() throws Exception {
    MintInfo info = wallet.client.info();
    assertEquals("test-mint", info.name());
    for (int nut : new int[] {7, 8, 9, 12, 20}) assertTrue(info.supports(nut), "NUT-" + nut);
    assertTrue(info.mintMethod("bolt11", "sat").orElseThrow().allows(1_000_000));
    assertFalse(info.meltMethod("bolt11", "sat").orElseThrow().allows(1_000_001));
    assertTrue(info.responseCache().orElseThrow().caches("POST", "/v1/swap"));

    Keyset keyset = wallet.client.activeKeysets().getFirst(); // the client checks the id against the keys
    assertTrue(keyset.id().startsWith("01") && keyset.id().length() == 66, keyset.id());
    assertEquals(32, keyset.keys().size());
    assertEquals(mint.activeKeyset().id(), keyset.id());
    assertEquals(List.of(keyset.info()), wallet.client.keysets());
    assertEquals(keyset, wallet.client.keyset(keyset.id()));

    try (DevMint sameName = DevMint.start(new LightningNetwork(), DevMint.Options.defaults("test-mint"))) {
      assertEquals(keyset.id(), sameName.activeKeyset().id(), "keys derive from the name");
    }
    assertRejected(NutError.KEYSET_UNKNOWN, () -> wallet.client.keyset("01" + "ab".repeat(32)));
  }

  @Test
  void mintQuotePayMint() throws Exception {
    MintQuote quote = wallet.client.createMintQuote(100, "sat", "for tests", null);
    assertEquals(MintQuote.State.UNPAID, quote.state());
    Bolt11 invoice = Bolt11.decode(quote.request());
    assertEquals(100, invoice.amountSat());
    assertEquals(mint.node().pubkey(), invoice.payee());
    List<BlindedOutput> outputs = wallet.outputs(100);
    assertRejected(NutError.QUOTE_NOT_PAID, () -> wallet.client.mint(quote.quote(), Outputs.messages(outputs), null));

    network.faucet().pay(quote.request());
    MintQuote paid = wallet.client.mintQuote(quote.quote());
    assertEquals(MintQuote.State.PAID, paid.state());
    assertEquals(100, paid.mintable());

    List<BlindedOutput> wrongTotal = wallet.outputs(99);
    assertRejected(NutError.TRANSACTION_UNBALANCED, () -> wallet.client.mint(quote.quote(), Outputs.messages(wrongTotal), null));
    List<BlindSignature> signatures = wallet.client.mint(quote.quote(), Outputs.messages(outputs), null);
    List<Proof> proofs = Outputs.unblind(outputs, signatures, wallet.keyset); // verifies every DLEQ
    assertEquals(100, sum(proofs));
    assertTrue(signatures.stream().allMatch(s -> s.dleq() != null));
    MintQuote issued = wallet.client.mintQuote(quote.quote());
    assertEquals(MintQuote.State.ISSUED, issued.state());
    assertEquals(0, issued.mintable());
    List<BlindedOutput> again = wallet.outputs(100);
    assertRejected(NutError.QUOTE_ALREADY_ISSUED, () -> wallet.client.mint(quote.quote(), Outputs.messages(again), null));
  }

  @Test
  void nut20LockedQuote() throws Exception {
    Scalar key = Scalar.random();
    MintQuote quote = wallet.client.createMintQuote(64, "sat", null, key.publicKey());
    assertEquals(key.publicKey().toHex(), quote.pubkey());
    network.faucet().pay(quote.request());
    List<BlindedOutput> outputs = wallet.outputs(64);
    assertRejected(NutError.MINT_SIGNATURE_INVALID, () -> wallet.client.mint(quote.quote(), Outputs.messages(outputs), null));
    assertRejected(NutError.MINT_SIGNATURE_INVALID,
        () -> wallet.client.mint(quote.quote(), Outputs.messages(outputs), Scalar.random()));
    assertEquals(64, sum(Outputs.unblind(outputs, wallet.client.mint(quote.quote(), Outputs.messages(outputs), key), wallet.keyset)));
  }

  @Test
  void unpaidQuotesExpire() throws Exception {
    MintQuote quote = wallet.client.createMintQuote(10, "sat", null, null);
    network.advanceClock(Duration.ofHours(2));
    List<BlindedOutput> outputs = wallet.outputs(10);
    assertRejected(NutError.QUOTE_EXPIRED, () -> wallet.client.mint(quote.quote(), Outputs.messages(outputs), null));
  }

  @Test
  void quoteLimitsAndUnits() {
    assertRejected(NutError.AMOUNT_OUTSIDE_LIMITS, () -> wallet.client.createMintQuote(1_000_001, "sat", null, null));
    assertRejected(NutError.UNIT_UNSUPPORTED, () -> wallet.client.createMintQuote(10, "usd", null, null));
  }

  @Test
  void swapSplitsAndMerges() throws Exception {
    List<Proof> proofs = wallet.mint(64);
    List<Proof> split = wallet.swap(proofs, wallet.outputsOf(1, 1, 2, 4, 8, 16, 32));
    assertEquals(7, split.size());
    List<Proof> merged = wallet.swap(split, wallet.outputsOf(64));
    assertEquals(List.of(64L), merged.stream().map(Proof::amount).toList());
  }

  @Test
  void doubleSpendUnbalancedAndDuplicates() throws Exception {
    List<Proof> proofs = wallet.mint(8);
    List<BlindedOutput> tooMuch = wallet.outputsOf(8, 1);
    assertRejected(NutError.TRANSACTION_UNBALANCED, () -> wallet.swap(proofs, tooMuch));
    List<BlindedOutput> outputs = wallet.outputsOf(4, 4);
    wallet.swap(proofs, outputs);
    assertRejected(NutError.PROOFS_ALREADY_SPENT, () -> wallet.swap(proofs, wallet.outputsOf(8)));

    List<Proof> more = wallet.mint(4);
    assertRejected(NutError.OUTPUTS_ALREADY_SIGNED, () -> wallet.swap(more, outputs.subList(0, 1)));
    List<Proof> twice = List.of(more.getFirst(), more.getFirst());
    assertRejected(NutError.DUPLICATE_INPUTS, () -> wallet.swap(twice, wallet.outputsOf(8)));
    BlindedOutput one = wallet.outputsOf(2).getFirst();
    assertRejected(NutError.DUPLICATE_OUTPUTS, () -> wallet.client.swap(more, List.of(one.message(), one.message())));
    Proof forged = new Proof(4, more.getFirst().id(), more.getFirst().secret() + "0", more.getFirst().c());
    assertRejected(NutError.PROOF_VERIFICATION_FAILED, () -> wallet.swap(List.of(forged), wallet.outputsOf(4)));
    Proof unknownKeyset = new Proof(4, "01" + "cd".repeat(32), more.getFirst().secret(), more.getFirst().c());
    assertRejected(NutError.KEYSET_UNKNOWN, () -> wallet.swap(List.of(unknownKeyset), wallet.outputsOf(4)));
    assertEquals(4, sum(wallet.swap(more, wallet.outputsOf(4))), "nothing was spent by the refused requests");
  }

  @Test
  void concurrentSwapsOfOneProofSpendItOnce() throws Exception {
    List<Proof> proofs = wallet.mint(16);
    List<Future<?>> attempts = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      for (int i = 0; i < 8; i++) attempts.add(pool.submit(() -> wallet.swap(proofs, wallet.outputsOf(16))));
    }
    int won = 0;
    for (Future<?> f : attempts) {
      try {
        f.get();
        won++;
      } catch (java.util.concurrent.ExecutionException e) {
        MintRejectedException r = assertInstanceOf(MintRejectedException.class, e.getCause());
        assertTrue(r.is(NutError.PROOFS_ALREADY_SPENT) || r.is(NutError.PROOFS_PENDING), r.getMessage());
      }
    }
    assertEquals(1, won);
  }

  @Test
  void inputFeesAndKeysetRotation() throws Exception {
    KeysetInfo old = mint.activeKeyset();
    List<Proof> oldProofs = wallet.mint(8);
    KeysetInfo feeKeyset = mint.rotateKeyset(100);
    assertNotEquals(old.id(), feeKeyset.id());
    List<BlindedOutput> stale = List.of(BlindedOutput.random(8, old.id()));
    assertRejected(NutError.KEYSET_INACTIVE, () -> wallet.client.swap(oldProofs, Outputs.messages(stale)));

    wallet.refreshKeyset();
    assertEquals(feeKeyset.id(), wallet.keyset.id());
    assertEquals(100, wallet.keyset.inputFeePpk());
    List<Proof> fresh = wallet.swap(oldProofs, wallet.outputs(8)); // inputs of an inactive keyset still redeem; old fee 0
    assertEquals(8, sum(fresh));
    // 100 ppk: 1 sat for 1..10 inputs, rounded up once per request
    assertRejected(NutError.TRANSACTION_UNBALANCED, () -> wallet.swap(fresh, wallet.outputs(8)));
    assertEquals(7, sum(wallet.swap(fresh, wallet.outputs(7))));
    assertEquals(2, mint.keysets().size());
    assertFalse(mint.keysets().getFirst().active());
  }

  @Test
  void expiredKeysetsAreRefused() throws Exception {
    mint.rotateKeyset(0, Instant.now().plus(Duration.ofHours(1)));
    wallet.refreshKeyset();
    List<Proof> proofs = wallet.mint(4);
    network.advanceClock(Duration.ofHours(2));
    assertRejected(NutError.KEYSET_EXPIRED, () -> wallet.swap(proofs, wallet.outputs(4)));
  }

  @Test
  void checkStateReportsUnspentAndSpent() throws Exception {
    List<Proof> proofs = wallet.mint(3);
    assertTrue(wallet.client.checkProofs(proofs).stream().allMatch(s -> s.state() == ProofState.State.UNSPENT));
    wallet.swap(proofs, wallet.outputs(3));
    List<ProofState> states = wallet.client.checkProofs(proofs);
    assertTrue(states.stream().allMatch(s -> s.state() == ProofState.State.SPENT));
  }

  @Test
  void lostSwapAnswerIsRecoveredByRestore() throws Exception {
    mint.responseCache(false);
    MintClient client = new MintClient(mint.url(), HttpClient.newHttpClient(), TestWallet.FAST);
    List<Proof> proofs = wallet.mint(12);
    List<BlindedOutput> outputs = wallet.outputs(12);
    mint.faults().loseNextResponse("/v1/swap");
    MintException lost = assertThrows(MintUnavailableException.class, () -> client.swap(proofs, Outputs.messages(outputs)));
    assertTrue(lost.outcomeUnknown());
    assertTrue(client.checkProofs(proofs).stream().allMatch(s -> s.state() == ProofState.State.SPENT), "the mint did the swap");
    assertRejected(NutError.PROOFS_ALREADY_SPENT, () -> client.swap(proofs, Outputs.messages(outputs)));

    List<BlindedOutput> unrelated = wallet.outputs(5);
    List<BlindedMessage> asked = new ArrayList<>(Outputs.messages(unrelated));
    asked.addAll(Outputs.messages(outputs));
    Restored restored = client.restore(asked);
    assertEquals(outputs.size(), restored.signatures().size(), "only what was signed comes back");
    List<Proof> recovered = Outputs.unblindRestored(outputs, restored.outputs(), restored.signatures(), wallet.keyset);
    assertEquals(12, sum(recovered));
    assertEquals(12, sum(wallet.swap(recovered, wallet.outputs(12))), "the recovered proofs spend");
  }

  @Test
  void nut19ReplayReturnsTheCachedAnswer() throws Exception {
    List<Proof> proofs = wallet.mint(6);
    List<BlindedOutput> outputs = wallet.outputs(6);
    wallet.client.info(); // learn what the mint caches
    mint.faults().loseNextResponse("/v1/swap");
    List<BlindSignature> replayed = wallet.client.swap(proofs, Outputs.messages(outputs)); // lost, then replayed
    assertEquals(6, sum(Outputs.unblind(outputs, replayed, wallet.keyset)));

    MintQuote quote = wallet.client.createMintQuote(5, "sat", null, null);
    network.faucet().pay(quote.request());
    List<BlindedOutput> minted = wallet.outputs(5);
    mint.faults().loseNextResponse("/v1/mint/bolt11");
    assertEquals(5, sum(Outputs.unblind(minted, wallet.client.mint(quote.quote(), Outputs.messages(minted), null), wallet.keyset)));

    mint.responseCache(false);
    assertTrue(wallet.client.info().responseCache().isEmpty(), "not advertised when off");
  }

  @Test
  void httpFaultsAndErrorShape() throws Exception {
    mint.faults().failNextRequest("/v1/keysets");
    assertThrows(MintUnavailableException.class, () -> wallet.client.keysets());
    assertEquals(1, wallet.client.keysets().size(), "one request only");

    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> malformed = http.send(HttpRequest.newBuilder(URI.create(mint.url() + "/v1/swap"))
        .POST(HttpRequest.BodyPublishers.ofString("{\"inputs\":[{\"amount\":\"x\"}]}")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(400, malformed.statusCode());
    assertEquals("{\"detail\":\"request body does not match the NUT\",\"code\":0}", malformed.body());
    HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create(mint.url() + "/v1/mint/quote/bolt11/nope")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(400, missing.statusCode());
    assertTrue(missing.body().contains("\"code\":0"), missing.body());
    HttpResponse<String> notFound = http.send(HttpRequest.newBuilder(URI.create(mint.url() + "/v1/bolt12")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(404, notFound.statusCode());
    HttpResponse<String> preflight = http.send(HttpRequest.newBuilder(URI.create(mint.url() + "/v1/swap"))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(204, preflight.statusCode());
    assertEquals("*", preflight.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());

    List<Proof> proofs = wallet.mint(2);
    mint.faults().delayNextResponse("/v1/swap", Duration.ofMillis(300));
    long start = System.nanoTime();
    wallet.swap(proofs, wallet.outputs(2));
    assertTrue(System.nanoTime() - start >= Duration.ofMillis(300).toNanos());
  }

  @Test
  void maxInputsAndOutputs() throws Exception {
    try (DevMint small = DevMint.start(network, DevMint.Options.defaults("small").withMaxInputsOutputs(3).withAutoPay(true))) {
      TestWallet w = new TestWallet(small);
      assertEquals(MintQuote.State.PAID, w.client.createMintQuote(3, "sat", null, null).state(), "auto-paid");
      List<Proof> four = new ArrayList<>(w.mint(7)); // 1, 2, 4
      four.addAll(w.mint(8));
      assertRejected(NutError.MAX_INPUTS_EXCEEDED, () -> w.swap(four, w.outputs(15)));
      List<Proof> three = four.subList(0, 3);
      assertRejected(NutError.MAX_OUTPUTS_EXCEEDED, () -> w.swap(three, w.outputsOf(1, 1, 1, 4)));
      assertEquals(7, sum(w.swap(three, w.outputsOf(1, 2, 4))));
    }
  }

  static void assertRejected(NutError expected, Executable call) {
    MintRejectedException e = assertThrows(MintRejectedException.class, call);
    assertEquals(expected.code(), e.code(), e.getMessage() + ": " + e.detail());
    assertEquals(400, e.httpStatus());
  }
}
