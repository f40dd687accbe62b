package archy.ecash.mint;

import archy.ecash.MintUrl;
import archy.ecash.crypto.Point;
import archy.ecash.crypto.Scalar;
import archy.ecash.keyset.InvalidKeysetException;
import archy.ecash.keyset.Keyset;
import archy.ecash.keyset.KeysetInfo;
import archy.ecash.keyset.KeysetVersion;
import archy.ecash.token.BlindSignature;
import archy.ecash.token.BlindedMessage;
import archy.ecash.token.Proof;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A client for one Cashu mint over HTTP: NUT-01 to 09 with the bolt11 method (NUT-23), NUT-19 replays and NUT-20
 * quote signatures. Each call is one request (plus NUT-19 replays); nothing is persisted here, so callers must
 * write their outputs and quote ids down before calling and decide what an unknown outcome means.
 *
 * <p>Answers are checked against the NUTs before they are returned (counts match the request, keysets match
 * their ids, states come back in order), so a {@link MintProtocolException} means the mint misbehaved. Proofs
 * sent as inputs lose their DLEQ {@code r} first: it would let the mint link them to their issuance.
 *
 * <p>Thread-safe; share one instance per mint.
 */
public final class MintClient {
  private static final String BOLT11 = "bolt11";

  /**
   * Timeouts and the NUT-19 replay budget. Melts block until the Lightning payment settles or fails, which can
   * take minutes (NUT-05: "use no (or a very long) timeout"), hence their own, long timeout. The connect timeout
   * applies to the {@link HttpClient} that {@link #create(String)} builds; a client passed in keeps its own.
   */
  public record Options(Duration connectTimeout, Duration requestTimeout, Duration meltTimeout, int replayAttempts,
                        Duration replayBackoff) {
    public static Options defaults() {
      return new Options(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(15), 3, Duration.ofMillis(500));
    }
  }

  private final String url;
  private final MintHttp http;
  private final Options options;
  private volatile MintInfo.ResponseCache responseCache; // null until /v1/info has answered once

  public MintClient(String mintUrl, HttpClient httpClient, Options options) {
    this.url = MintUrl.normalize(mintUrl);
    this.http = new MintHttp(url, httpClient);
    this.options = options;
  }

  /** A client with its own {@link HttpClient} and {@link Options#defaults()}. */
  public static MintClient create(String mintUrl) {
    return create(mintUrl, Options.defaults().requestTimeout());
  }

  /** As {@link #create(String)}, with {@code requestTimeout} for calls other than melts ({@code mint_timeout_seconds}). */
  public static MintClient create(String mintUrl, Duration requestTimeout) {
    Options d = Options.defaults();
    Options o = new Options(d.connectTimeout(), requestTimeout, d.meltTimeout(), d.replayAttempts(), d.replayBackoff());
    return new MintClient(mintUrl, HttpClient.newBuilder().connectTimeout(o.connectTimeout()).build(), o);
  }

  /** The normalized mint URL (see {@link MintUrl}). */
  public String url() {
    return url;
  }

  /** NUT-06. Also learns which endpoints the mint caches (NUT-19) for later replays. */
  public MintInfo info() throws MintException {
    MintInfo info = http.send(get("/v1/info", "GET /v1/info"), null, MintInfo.class);
    responseCache = info.responseCache().orElse(new MintInfo.ResponseCache(null, List.of()));
    return info;
  }

  /**
   * NUT-01 {@code GET /v1/keys}: the active keysets with their keys, each checked against its id. Keysets of a
   * version this code does not implement (such as {@code 02…} BLS) are left out.
   */
  public List<Keyset> activeKeysets() throws MintException {
    String endpoint = "GET /v1/keys";
    Messages.KeysResponse r = http.send(get("/v1/keys", endpoint), null, Messages.KeysResponse.class);
    List<Keyset> out = new ArrayList<>();
    for (Messages.KeysetKeys k : list(endpoint, r.keysets())) {
      if (k.id() == null || !KeysetVersion.isSupported(k.id())) continue;
      out.add(keyset(endpoint, k));
    }
    return out;
  }

  /**
   * NUT-02 {@code GET /v1/keys/{id}}: one keyset, active or not, checked against its id.
   *
   * @throws InvalidKeysetException before any request when {@code id} is of an unsupported version
   */
  public Keyset keyset(String id) throws MintException, InvalidKeysetException {
    KeysetVersion.of(id);
    String endpoint = "GET /v1/keys/{keyset_id}";
    Messages.KeysResponse r = http.send(get("/v1/keys/" + id, endpoint), null, Messages.KeysResponse.class);
    for (Messages.KeysetKeys k : list(endpoint, r.keysets())) {
      if (id.equals(k.id())) return keyset(endpoint, k);
    }
    throw new MintProtocolException(endpoint, "the answer does not contain the keyset asked for");
  }

  /** NUT-02 {@code GET /v1/keysets}: every keyset without keys, including unsupported versions (see {@link KeysetInfo#supported()}). */
  public List<KeysetInfo> keysets() throws MintException {
    String endpoint = "GET /v1/keysets";
    return list(endpoint, http.send(get("/v1/keysets", endpoint), null, Messages.KeysetsResponse.class).keysets());
  }

  /** NUT-03: spends {@code inputs} and signs {@code outputs} (send them in ascending amount order). */
  public List<BlindSignature> swap(List<Proof> inputs, List<BlindedMessage> outputs) throws MintException {
    MintHttp.Call call = post("/v1/swap", "POST /v1/swap", options.requestTimeout());
    Messages.SignaturesResponse r = http.send(call, new Messages.SwapRequest(forMint(inputs), outputs),
        Messages.SignaturesResponse.class);
    return signatures(call.endpoint(), r.signatures(), outputs.size());
  }

  /**
   * NUT-04/23: asks for a bolt11 invoice of {@code amount}. With {@code pubkey} (NUT-20) the quote can only be
   * minted with a signature by its key; pass the key's {@link Scalar} to {@link #mint}.
   */
  public MintQuote createMintQuote(long amount, String unit, String description, Point pubkey) throws MintException {
    MintHttp.Call call = post("/v1/mint/quote/" + BOLT11, "POST /v1/mint/quote/bolt11", options.requestTimeout());
    return http.send(call, new Messages.MintQuoteRequest(amount, unit, description, pubkey == null ? null : pubkey.toHex()),
        MintQuote.class);
  }

  /** NUT-04: the current state of a mint quote. */
  public MintQuote mintQuote(String quoteId) throws MintException {
    return http.send(get("/v1/mint/quote/" + BOLT11 + "/" + segment(quoteId), "GET /v1/mint/quote/bolt11/{quote}"),
        null, MintQuote.class);
  }

  /**
   * NUT-04: mints a paid quote. {@code quoteKey} is the NUT-20 secret key when the quote was created with a
   * pubkey, else null. The outputs must add up to the quote amount.
   */
  public List<BlindSignature> mint(String quoteId, List<BlindedMessage> outputs, Scalar quoteKey) throws MintException {
    MintHttp.Call call = post("/v1/mint/" + BOLT11, "POST /v1/mint/bolt11", options.requestTimeout());
    String signature = quoteKey == null ? null : MintQuoteSignature.sign(quoteId, outputs, quoteKey);
    Messages.SignaturesResponse r = http.send(call, new Messages.MintRequest(quoteId, outputs, signature),
        Messages.SignaturesResponse.class);
    return signatures(call.endpoint(), r.signatures(), outputs.size());
  }

  /** NUT-05/23: a quote for paying {@code bolt11} from this mint. */
  public MeltQuote createMeltQuote(String bolt11, String unit) throws MintException {
    return createMeltQuote(bolt11, unit, null);
  }

  /** As {@link #createMeltQuote(String, String)} for an amountless invoice, paying {@code amountMsat}. */
  public MeltQuote createMeltQuote(String bolt11, String unit, Long amountMsat) throws MintException {
    Map<String, Object> opts = amountMsat == null ? null : Map.of("amountless", Map.of("amount_msat", amountMsat));
    MintHttp.Call call = post("/v1/melt/quote/" + BOLT11, "POST /v1/melt/quote/bolt11", options.requestTimeout());
    return http.send(call, new Messages.MeltQuoteRequest(bolt11, unit, opts), MeltQuote.class);
  }

  /** NUT-05: the current state of a melt quote; poll it after an async or interrupted melt. */
  public MeltQuote meltQuote(String quoteId) throws MintException {
    return http.send(get("/v1/melt/quote/" + BOLT11 + "/" + segment(quoteId), "GET /v1/melt/quote/bolt11/{quote}"),
        null, MeltQuote.class).withQuoteId(quoteId);
  }

  /**
   * NUT-05/08: pays the quote with {@code inputs}, sending {@code blankOutputs} for fee change (see
   * {@code Outputs.blankCount}). Waits up to {@link Options#meltTimeout()}; with {@code preferAsync} the mint may
   * answer PENDING at once. A timeout says nothing about the payment: check the quote and the inputs' states.
   */
  public MeltQuote melt(String quoteId, List<Proof> inputs, List<BlindedMessage> blankOutputs, boolean preferAsync)
      throws MintException {
    MintHttp.Call call = post("/v1/melt/" + BOLT11, "POST /v1/melt/bolt11", options.meltTimeout());
    List<BlindedMessage> outputs = blankOutputs == null || blankOutputs.isEmpty() ? null : blankOutputs;
    MeltQuote q = http.send(call, new Messages.MeltRequest(quoteId, forMint(inputs), outputs, preferAsync ? true : null),
        MeltQuote.class).withQuoteId(quoteId);
    if (q.change().size() > (outputs == null ? 0 : outputs.size())) {
      throw new MintProtocolException(call.endpoint(), "more change signatures than blank outputs");
    }
    return q;
  }

  /** NUT-07: the states of the proofs with these {@code Y} (hex), in the same order. */
  public List<ProofState> checkState(List<String> ys) throws MintException {
    MintHttp.Call call = post("/v1/checkstate", "POST /v1/checkstate", options.requestTimeout());
    List<ProofState> states = list(call.endpoint(),
        http.send(call, new Messages.CheckStateRequest(ys), Messages.CheckStateResponse.class).states());
    if (states.size() != ys.size()) throw new MintProtocolException(call.endpoint(), "state count differs from Y count");
    for (int i = 0; i < ys.size(); i++) {
      if (!states.get(i).y().equalsIgnoreCase(ys.get(i))) {
        throw new MintProtocolException(call.endpoint(), "states are not in the order of the Ys asked");
      }
    }
    return states;
  }

  /** NUT-07 for proofs: computes each {@code Y = hash_to_curve(secret)}. */
  public List<ProofState> checkProofs(List<Proof> proofs) throws MintException {
    return checkState(proofs.stream().map(p -> p.y().toHex()).toList());
  }

  /** NUT-09: the signatures the mint has already made on any of {@code outputs}. */
  public Restored restore(List<BlindedMessage> outputs) throws MintException {
    MintHttp.Call call = post("/v1/restore", "POST /v1/restore", options.requestTimeout());
    Restored r = http.send(call, new Messages.RestoreRequest(outputs), Restored.class);
    if (r.outputs().size() != r.signatures().size() || r.outputs().size() > outputs.size()) {
      throw new MintProtocolException(call.endpoint(), "outputs and signatures do not pair up");
    }
    return r;
  }

  private MintHttp.Call get(String path, String endpoint) {
    return new MintHttp.Call(path, endpoint, options.requestTimeout(), MintHttp.Replay.NONE);
  }

  private MintHttp.Call post(String path, String endpoint, Duration timeout) {
    return new MintHttp.Call(path, endpoint, timeout, replayFor(path));
  }

  /**
   * Replays only what the mint says it caches: replaying an uncached swap after a lost answer would be refused
   * (11001, the inputs are spent) and tell us nothing. The mint's info is fetched once, on first need.
   */
  private MintHttp.Replay replayFor(String path) {
    MintInfo.ResponseCache cache = responseCache;
    if (cache == null) {
      try {
        info();
        cache = responseCache;
      } catch (MintException e) {
        return MintHttp.Replay.NONE; // try again on the next call
      }
    }
    if (!cache.caches("POST", path)) return MintHttp.Replay.NONE;
    return new MintHttp.Replay(options.replayAttempts(), options.replayBackoff(),
        cache.ttl() == null ? null : Duration.ofSeconds(cache.ttl()));
  }

  private static List<Proof> forMint(List<Proof> inputs) {
    return inputs.stream().map(Proof::withoutDleq).toList();
  }

  private static List<BlindSignature> signatures(String endpoint, List<BlindSignature> sigs, int expected)
      throws MintProtocolException {
    List<BlindSignature> checked = list(endpoint, sigs);
    if (checked.size() != expected) {
      throw new MintProtocolException(endpoint, "expected " + expected + " signatures, got " + checked.size());
    }
    return checked;
  }

  private static <T> List<T> list(String endpoint, List<T> items) throws MintProtocolException {
    if (items == null || items.contains(null)) throw new MintProtocolException(endpoint, "a list is missing or holds null");
    return List.copyOf(items);
  }

  private static Keyset keyset(String endpoint, Messages.KeysetKeys k) throws MintProtocolException {
    try {
      return Keyset.parse(k.id(), k.unit(), k.active() == null || k.active(),
          k.inputFeePpk() == null ? 0 : k.inputFeePpk(), k.finalExpiry(), k.keys());
    } catch (InvalidKeysetException | IllegalArgumentException e) {
      throw new MintProtocolException(endpoint, e.getMessage());
    }
  }

  private static String segment(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  @Override
  public String toString() {
    return "MintClient[" + url + "]";
  }
}
