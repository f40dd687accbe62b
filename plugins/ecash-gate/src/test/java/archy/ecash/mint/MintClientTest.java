package archy.ecash.mint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.ecash.crypto.Bdhke;
import archy.ecash.crypto.Point;
import archy.ecash.crypto.Scalar;
import archy.ecash.encoding.Json;
import archy.ecash.keyset.Keyset;
import archy.ecash.keyset.UnsupportedKeysetException;
import archy.ecash.mint.CannedMint.Answer;
import archy.ecash.token.BlindSignature;
import archy.ecash.token.BlindedMessage;
import archy.ecash.token.Proof;
import archy.ecash.wallet.BlindedOutput;
import archy.ecash.wallet.Outputs;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link MintClient} against a real HTTP server on 127.0.0.1 answering canned NUT JSON. */
class MintClientTest {
  private static final MintClient.Options FAST = new MintClient.Options(
      Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(10), 2, Duration.ofMillis(20));
  private static final String QUOTE_ID = "019e6d5a-2347-7000-8322-05d51d498303";
  private static final String INFO_NO_CACHE = """
      {"name":"Bob's Cashu mint","pubkey":"0283bf290884eed3a7ca2663fc0260de2e2064d6b355ea13f98dec004b7a7ead99",
       "version":"Nutshell/0.15.0","contact":[{"method":"email","info":"contact@me.com"}],"time":1725304480,
       "nuts":{"4":{"methods":[{"method":"bolt11","unit":"sat","min_amount":0,"max_amount":10000}],"disabled":false},
               "5":{"methods":[{"method":"bolt11","unit":"sat","min_amount":100,"max_amount":10000}],"disabled":false},
               "7":{"supported":true},"8":{"supported":true},"9":{"supported":true},"12":{"supported":true},
               "20":{"supported":true}}}""";
  private static final String INFO_CACHING = """
      {"name":"caching mint","nuts":{"19":{"ttl":60,"cached_endpoints":[
        {"method":"POST","path":"/v1/swap"},{"method":"POST","path":"/v1/mint/bolt11"},{"method":"POST","path":"/v1/melt/bolt11"}]}}}""";

  private CannedMint mint;
  private MintClient client;
  private TestKeyset keys;

  @BeforeEach
  void start() throws Exception {
    mint = new CannedMint();
    keys = TestKeyset.create(100);
    mint.on("GET /v1/info", INFO_NO_CACHE).on("GET /v1/keys", keys.keysJson());
    client = new MintClient(mint.url() + "/", HttpClient.newHttpClient(), FAST);
  }

  @AfterEach
  void stop() {
    mint.close();
  }

  /** Answers a swap or mint body by signing every output with the test keyset. */
  private CannedMint.Route signing() {
    return r -> {
      JsonNode outputs = Json.mapper().readTree(r.body()).get("outputs");
      List<BlindSignature> sigs = new ArrayList<>();
      for (JsonNode o : outputs) {
        BlindedMessage m = Json.mapper().treeToValue(o, BlindedMessage.class);
        sigs.add(keys.sign(m, m.amount()));
      }
      return Answer.ok("{\"signatures\":" + Json.mapper().writeValueAsString(sigs) + "}");
    };
  }

  private List<BlindedOutput> outputs(long... amounts) {
    List<BlindedOutput> out = new ArrayList<>();
    for (long a : amounts) out.add(BlindedOutput.random(a, keys.id()));
    return out;
  }

  private Proof proof(long amount) throws Exception {
    BlindedOutput o = BlindedOutput.random(amount, keys.id());
    return o.unblind(keys.sign(o.message(), amount), keys.keyset());
  }

  @Test
  void infoIsParsed() throws Exception {
    MintInfo info = client.info();
    assertEquals("Bob's Cashu mint", info.name());
    assertTrue(info.supports(7) && info.supports(12) && info.supports(20));
    assertFalse(info.supports(11));
    assertEquals(100L, info.meltMethod("bolt11", "sat").orElseThrow().minAmount());
    assertTrue(info.mintMethod("bolt11", "sat").orElseThrow().allows(10000));
    assertFalse(info.mintingDisabled());
    assertTrue(info.responseCache().isEmpty());
    assertEquals(mint.url(), client.url());
  }

  @Test
  void keysetsAreCheckedAgainstTheirIdsAndUnsupportedVersionsSkipped() throws Exception {
    List<Keyset> active = client.activeKeysets();
    assertEquals(1, active.size());
    assertEquals(keys.keyset(), active.get(0));
    // a BLS keyset next to ours is left out, not misread
    String withBls = keys.keysJson().replace("{\"keysets\":[", "{\"keysets\":[{\"id\":\"02" + "cd".repeat(32)
        + "\",\"unit\":\"sat\",\"active\":true,\"keys\":{\"1\":\"" + "ab".repeat(48) + "\"}},");
    mint.on("GET /v1/keys", withBls);
    assertEquals(List.of(keys.keyset()), client.activeKeysets());
    // keys that do not derive to their id are a lie, not a keyset
    mint.on("GET /v1/keys", keys.keysJson().replace(keys.id(), "01" + "00".repeat(32)));
    assertThrows(MintProtocolException.class, client::activeKeysets);
    mint.on("GET /v1/keys/" + keys.id(), keys.keysJson());
    assertEquals(keys.keyset(), client.keyset(keys.id()));
    assertThrows(UnsupportedKeysetException.class, () -> client.keyset("02" + "cd".repeat(32)));
    mint.on("GET /v1/keysets", """
        {"keysets":[{"id":"%s","unit":"sat","active":true,"input_fee_ppk":100},
                    {"id":"012fbb01a4e200c76df911eeba3b8fe1831202914b24664f4bccbd25852a6708f8","unit":"sat","active":false,
                     "input_fee_ppk":null,"final_expiry":null}]}""".formatted(keys.id()));
    assertEquals(0, client.keysets().get(1).inputFeePpk());
    assertFalse(client.keysets().get(1).active());
  }

  @Test
  void swapWithRealSignaturesUnblindsAndVerifiesDleq() throws Exception {
    mint.on("POST /v1/swap", signing());
    Proof input = proof(8);
    assertTrue(input.dleq() != null && input.dleq().r() != null);
    List<BlindedOutput> outs = outputs(1, 2, 4);
    List<BlindSignature> sigs = client.swap(List.of(input), Outputs.messages(outs));
    List<Proof> proofs = Outputs.unblind(outs, sigs, keys.keyset());
    for (Proof p : proofs) {
      assertTrue(Bdhke.verify(p.secret(), p.signature(), keys.privateKeys().get(p.amount())));
      assertTrue(p.dleqValid(keys.keyset().publicKey(p.amount())));
    }
    // the input went to the mint without its DLEQ: r would link it to its issuance
    JsonNode sent = Json.mapper().readTree(mint.received("POST", "/v1/swap").get(0).body());
    assertFalse(sent.get("inputs").get(0).has("dleq"));
    assertEquals(input.secret(), sent.get("inputs").get(0).get("secret").asText());
  }

  @Test
  void nutErrorsBecomeRejectionsWithTheirCode() throws Exception {
    mint.on("POST /v1/swap", r -> new Answer(400, "{\"detail\":\"Token already spent: " + QUOTE_ID + "\",\"code\":11001}"));
    MintRejectedException e = assertThrows(MintRejectedException.class,
        () -> client.swap(List.of(proof(1)), Outputs.messages(outputs(1))));
    assertTrue(e.is(NutError.PROOFS_ALREADY_SPENT));
    assertEquals(11001, e.code());
    assertEquals(400, e.httpStatus());
    assertFalse(e.outcomeUnknown());
    assertEquals("POST /v1/swap", e.endpoint());
    assertFalse(e.getMessage().contains(QUOTE_ID), "the mint's detail stays out of the message");
    assertTrue(e.detail().contains("already spent"));

    mint.on("GET /v1/mint/quote/bolt11/" + QUOTE_ID, r -> new Answer(400, "{\"detail\":\"quote not paid\",\"code\":20001}"));
    MintRejectedException notPaid = assertThrows(MintRejectedException.class, () -> client.mintQuote(QUOTE_ID));
    assertEquals(NutError.QUOTE_NOT_PAID, notPaid.error().orElseThrow());
    assertFalse(notPaid.getMessage().contains(QUOTE_ID));

  }

  @Test
  void anErrorWithoutANutCodeIsAnUnknownOutcomeNotARefusal() throws Exception {
    // a proxy's 408 or 429 may come after the mint acted: only a NUT error code is a definite refusal
    for (int status : new int[] {404, 408, 429}) {
      mint.on("POST /v1/swap", r -> new Answer(status, "<html>busy</html>"));
      MintUnavailableException e = assertThrows(MintUnavailableException.class,
          () -> client.swap(List.of(proof(1)), Outputs.messages(outputs(1))));
      assertEquals(status, e.httpStatus());
      assertTrue(e.outcomeUnknown());
    }
    mint.on("POST /v1/swap", r -> new Answer(400, "{\"detail\":\"try later\",\"code\":0}"));
    assertThrows(MintUnavailableException.class, () -> client.swap(List.of(proof(1)), Outputs.messages(outputs(1))),
        "code 0 is no NUT error");
    mint.on("POST /v1/swap", r -> new Answer(400, "{\"detail\":\"new\",\"code\":99999}"));
    assertThrows(MintUnavailableException.class, () -> client.swap(List.of(proof(1)), Outputs.messages(outputs(1))),
        "a code no NUT defines is not known to be a refusal");
  }

  @Test
  void failuresWithoutAnAnswerAreUnavailableAndMisbehaviourIsAProtocolViolation() throws Exception {
    mint.on("POST /v1/swap", r -> new Answer(502, "Bad Gateway"));
    MintUnavailableException bad = assertThrows(MintUnavailableException.class,
        () -> client.swap(List.of(proof(1)), Outputs.messages(outputs(1))));
    assertEquals(502, bad.httpStatus());
    assertTrue(bad.outcomeUnknown());

    mint.on("POST /v1/swap", r -> Answer.ok("{\"signatures\":[]}"));
    assertThrows(MintProtocolException.class, () -> client.swap(List.of(proof(1)), Outputs.messages(outputs(1))));
    mint.on("POST /v1/swap", r -> Answer.ok("not json"));
    assertThrows(MintProtocolException.class, () -> client.swap(List.of(proof(1)), Outputs.messages(outputs(1))));
    mint.on("POST /v1/swap", r -> Answer.ok("{\"signatures\":[{\"amount\":1,\"id\":\"" + keys.id() + "\",\"C_\":\"zz\"}]}"));
    assertThrows(MintProtocolException.class, () -> client.swap(List.of(proof(1)), Outputs.messages(outputs(1))));

    MintClient nowhere = new MintClient("http://127.0.0.1:1", HttpClient.newHttpClient(), FAST);
    MintUnavailableException refused = assertThrows(MintUnavailableException.class, nowhere::info);
    assertEquals(0, refused.httpStatus());
  }

  @Test
  void cachedEndpointsAreReplayedWithTheIdenticalBody() throws Exception {
    mint.on("GET /v1/info", INFO_CACHING);
    CannedMint.Route signing = signing();
    mint.on("POST /v1/swap", r -> mint.received("POST", "/v1/swap").size() == 1 ? Answer.LOST : signing.answer(r));
    List<BlindedOutput> outs = outputs(2, 2);
    List<BlindSignature> sigs = client.swap(List.of(proof(4)), Outputs.messages(outs));
    assertEquals(2, Outputs.unblind(outs, sigs, keys.keyset()).size());
    List<CannedMint.Received> sent = mint.received("POST", "/v1/swap");
    assertEquals(2, sent.size());
    assertEquals(sent.get(0).body(), sent.get(1).body());
  }

  @Test
  void replayStopsAfterItsBudget() throws Exception {
    mint.on("GET /v1/info", INFO_CACHING);
    mint.on("POST /v1/swap", r -> Answer.LOST);
    MintUnavailableException e = assertThrows(MintUnavailableException.class,
        () -> client.swap(List.of(proof(1)), Outputs.messages(outputs(1))));
    assertTrue(e.outcomeUnknown());
    assertEquals(1 + FAST.replayAttempts(), mint.received("POST", "/v1/swap").size());
  }

  @Test
  void uncachedEndpointsAreNeverReplayed() throws Exception {
    mint.on("POST /v1/swap", r -> Answer.LOST);
    assertThrows(MintUnavailableException.class, () -> client.swap(List.of(proof(1)), Outputs.messages(outputs(1))));
    assertEquals(1, mint.received("POST", "/v1/swap").size());
    // a rejection is an answer, so it is not replayed even where caching is advertised
    mint.on("GET /v1/info", INFO_CACHING);
    client.info();
    mint.on("POST /v1/swap", r -> new Answer(400, "{\"detail\":\"unbalanced\",\"code\":11005}"));
    assertThrows(MintRejectedException.class, () -> client.swap(List.of(proof(1)), Outputs.messages(outputs(1))));
    assertEquals(2, mint.received("POST", "/v1/swap").size());
  }

  @Test
  void mintQuoteLockedWithNut20() throws Exception {
    Scalar quoteKey = Scalar.random();
    Point quotePub = quoteKey.publicKey();
    mint.on("POST /v1/mint/quote/bolt11", r -> {
      JsonNode req = Json.mapper().readTree(r.body());
      assertEquals(quotePub.toHex(), req.get("pubkey").asText());
      return Answer.ok("""
          {"quote":"%s","request":"lnbc100n1pj4apw9","amount":10,"unit":"sat","state":"UNPAID","expiry":1701704757,
           "pubkey":"%s"}""".formatted(QUOTE_ID, quotePub.toHex()));
    });
    MintQuote quote = client.createMintQuote(10, "sat", null, quotePub);
    assertEquals(MintQuote.State.UNPAID, quote.state());
    assertEquals(0, quote.mintable());
    assertFalse(quote.toString().contains(QUOTE_ID));

    mint.on("GET /v1/mint/quote/bolt11/" + QUOTE_ID, """
        {"quote":"%s","request":"lnbc100n1pj4apw9","amount":10,"unit":"sat","state":"PAID","expiry":1701704757,
         "amount_paid":10,"amount_issued":0,"updated_at":1701704700,"unknown_future_field":[1,2]}""".formatted(QUOTE_ID));
    assertEquals(10, client.mintQuote(QUOTE_ID).mintable());

    CannedMint.Route signing = signing();
    mint.on("POST /v1/mint/bolt11", r -> {
      JsonNode req = Json.mapper().readTree(r.body());
      List<BlindedMessage> outs = new ArrayList<>();
      for (JsonNode o : req.get("outputs")) outs.add(Json.mapper().treeToValue(o, BlindedMessage.class));
      boolean valid = MintQuoteSignature.verify(req.get("quote").asText(), outs, req.path("signature").asText(null), quotePub);
      return valid ? signing.answer(r) : new Answer(400, "{\"detail\":\"bad signature\",\"code\":20008}");
    });
    List<BlindedOutput> outs = outputs(2, 8);
    List<Proof> proofs = Outputs.unblind(outs, client.mint(QUOTE_ID, Outputs.messages(outs), quoteKey), keys.keyset());
    assertEquals(10, proofs.stream().mapToLong(Proof::amount).sum());
    MintRejectedException unsigned = assertThrows(MintRejectedException.class,
        () -> client.mint(QUOTE_ID, Outputs.messages(outputs(2, 8)), null));
    assertTrue(unsigned.is(NutError.MINT_SIGNATURE_INVALID));
  }

  @Test
  void meltSendsBlankOutputsWaitsLongAndReturnsChange() throws Exception {
    String bolt11 = "lnbc100n1p3kdrv5sp5lpdxzghe5j67q";
    mint.on("POST /v1/melt/quote/bolt11", """
        {"quote":"%s","request":"%s","amount":100,"unit":"sat","fee_reserve":10,"state":"UNPAID","expiry":1701704757}"""
        .formatted(QUOTE_ID, bolt11));
    MeltQuote quote = client.createMeltQuote(bolt11, "sat");
    assertEquals(10, quote.feeReserve());
    int blanks = Outputs.blankCount(quote.feeReserve());
    assertEquals(4, blanks);
    List<BlindedOutput> blankOutputs = new ArrayList<>();
    for (int i = 0; i < blanks; i++) blankOutputs.add(BlindedOutput.random(1, keys.id()));

    mint.on("POST /v1/melt/bolt11", r -> {
      Thread.sleep(2500); // longer than the ordinary request timeout, well within the melt timeout
      JsonNode req = Json.mapper().readTree(r.body());
      // 7 sat of the 10 reserved come back: 1 + 2 + 4 on the first three blanks, in order
      List<BlindSignature> change = new ArrayList<>();
      long[] amounts = {1, 2, 4};
      for (int i = 0; i < amounts.length; i++) {
        change.add(keys.sign(Json.mapper().treeToValue(req.get("outputs").get(i), BlindedMessage.class), amounts[i]));
      }
      // as in the NUT-08 example, no quote id in the answer
      return Answer.ok("{\"state\":\"PAID\",\"payment_preimage\":\"c5a1ae1f639e1f4a3872e81500fd028bece7bedc1152f740cba5c3417b748c1b\","
          + "\"change\":" + Json.mapper().writeValueAsString(change) + "}");
    });
    MeltQuote paid = client.melt(QUOTE_ID, List.of(proof(64), proof(32), proof(16)), Outputs.messages(blankOutputs), false);
    assertEquals(MeltQuote.State.PAID, paid.state());
    assertEquals(QUOTE_ID, paid.quote());
    List<Proof> change = Outputs.unblindChange(blankOutputs, paid.change(), keys.keyset());
    assertEquals(List.of(1L, 2L, 4L), change.stream().map(Proof::amount).toList());
    JsonNode sent = Json.mapper().readTree(mint.received("POST", "/v1/melt/bolt11").get(0).body());
    assertEquals(4, sent.get("outputs").size());
    assertNull(sent.get("prefer_async"));

    MintClient impatient = new MintClient(mint.url(), HttpClient.newHttpClient(), new MintClient.Options(
        Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofMillis(300), 0, Duration.ZERO));
    MintUnavailableException timeout = assertThrows(MintUnavailableException.class,
        () -> impatient.melt(QUOTE_ID, List.of(proof(64)), List.of(), true));
    assertTrue(timeout.outcomeUnknown());
  }

  @Test
  void checkStateAnswersMustComeInTheOrderAsked() throws Exception {
    Proof a = proof(1);
    Proof b = proof(2);
    String ya = a.y().toHex();
    String yb = b.y().toHex();
    mint.on("POST /v1/checkstate", """
        {"states":[{"Y":"%s","state":"SPENT","witness":null},{"Y":"%s","state":"SOMETHING_NEW"}]}""".formatted(ya, yb));
    List<ProofState> states = client.checkProofs(List.of(a, b));
    assertEquals(ProofState.State.SPENT, states.get(0).state());
    assertEquals(ProofState.State.UNKNOWN, states.get(1).state());
    JsonNode ysSent = Json.mapper().readTree(mint.received("POST", "/v1/checkstate").get(0).body()).get("Ys");
    assertEquals(List.of(ya, yb), List.of(ysSent.get(0).asText(), ysSent.get(1).asText()));
    assertThrows(MintProtocolException.class, () -> client.checkProofs(List.of(b, a)));
  }

  @Test
  void restorePairsTheMintsSignaturesWithOurOutputs() throws Exception {
    List<BlindedOutput> ours = outputs(1, 2, 4);
    // the mint had signed only the second and third
    List<BlindedMessage> signedOutputs = List.of(ours.get(1).message(), ours.get(2).message());
    List<BlindSignature> sigs = List.of(keys.sign(signedOutputs.get(0), 2), keys.sign(signedOutputs.get(1), 4));
    mint.on("POST /v1/restore", "{\"outputs\":" + Json.mapper().writeValueAsString(signedOutputs)
        + ",\"promises\":" + Json.mapper().writeValueAsString(sigs) + "}");
    Restored restored = client.restore(Outputs.messages(ours));
    List<Proof> proofs = Outputs.unblindRestored(ours, restored.outputs(), restored.signatures(), keys.keyset());
    assertEquals(List.of(2L, 4L), proofs.stream().map(Proof::amount).toList());
    assertEquals(ours.get(1).secret(), proofs.get(0).secret());
  }

  @Test
  void aDleqThatDoesNotVerifyIsRefused() throws Exception {
    TestKeyset impostor = TestKeyset.create(100);
    BlindedOutput o = BlindedOutput.random(4, keys.id());
    BlindSignature forged = impostor.sign(o.message(), 4);
    // the impostor signed with other keys but claims our keyset id
    BlindSignature claimed = new BlindSignature(4, keys.id(), forged.c(), forged.dleq());
    assertInstanceOf(archy.ecash.wallet.InvalidSignatureException.class,
        assertThrows(Exception.class, () -> o.unblind(claimed, keys.keyset())));
  }
}
