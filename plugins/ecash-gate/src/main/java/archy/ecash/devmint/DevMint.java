package archy.ecash.devmint;

import archy.ecash.crypto.Digests;
import archy.ecash.crypto.Scalar;
import archy.ecash.keyset.KeysetInfo;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A Cashu mint for development and tests: NUT-00 to 09, 12 (a DLEQ on every signature), 19 (switchable) and 20,
 * bolt11 only, over real HTTP, settling through a {@link LightningNetwork} it shares with other dev mints. State is
 * in memory and dies with the mint. Its ecash is worth nothing: no real Lightning payment ever happens.
 *
 * <p>The JDK's HTTP server is enough here (one small JSON request per call) and keeps the mint free of the relay's
 * Jetty, so it runs wherever the plugin's classes do. Requests run on virtual threads, so a melt held in flight
 * blocks nothing else.
 */
public final class DevMint implements AutoCloseable {
  /**
   * How a dev mint behaves.
   *
   * @param name               shown in {@code /v1/info}; also the name of its Lightning node and the seed of its keys
   * @param port               0 for any free port
   * @param unit               the keysets' unit; only {@code sat} (the fake network counts in sat)
   * @param autoPay            the faucet pays every mint quote after this delay, so ecash is one call away (demos);
   *                           null: never. A delay lets another mint on the network pay the invoice first (a
   *                           cross-mint swap), as nutshell's FakeWallet settles incoming invoices after a delay
   * @param inputFeePpk        NUT-02 input fee of the first keyset, in parts per thousand of a unit per input
   * @param responseCache      NUT-19 on or off at start ({@link DevMint#responseCache(boolean)} switches it later)
   * @param quoteExpiry        how long mint quotes (their invoices) and melt quotes stay valid
   * @param feeReserveMinSat   melt fee reserve is {@code max(feeReserveMinSat, ceil(amount·feeReservePpm/10^6))}
   * @param feeReservePpm      see above; internal payments (the mint's own invoices) reserve nothing
   * @param maxAmount          NUT-04/05 {@code max_amount} per quote (11006 beyond)
   * @param maxInputsOutputs   per request (11014 / 11015 beyond)
   * @param lightningBalanceSat the outbound liquidity the mint's node starts with
   */
  public record Options(String name, int port, String unit, Duration autoPay, long inputFeePpk,
                        boolean responseCache, Duration quoteExpiry, long feeReserveMinSat, long feeReservePpm,
                        long maxAmount, int maxInputsOutputs, long lightningBalanceSat) {
    public Options {
      if (autoPay != null && autoPay.isNegative()) throw new IllegalArgumentException("the auto-pay delay is negative");
      if (name == null || name.isBlank()) throw new IllegalArgumentException("a dev mint needs a name");
      if (port < 0 || port > 65535) throw new IllegalArgumentException("port out of range");
      if (!"sat".equals(unit)) throw new IllegalArgumentException("the dev mint only issues sat");
      if (inputFeePpk < 0 || feeReserveMinSat < 0 || feeReservePpm < 0 || lightningBalanceSat < 0) {
        throw new IllegalArgumentException("fees and balances are not negative");
      }
      if (quoteExpiry == null || quoteExpiry.isNegative() || quoteExpiry.isZero()) {
        throw new IllegalArgumentException("quotes need a positive expiry");
      }
      if (maxAmount <= 0 || maxInputsOutputs <= 0) throw new IllegalArgumentException("limits must be positive");
    }

    /**
     * Port 0, sat, no auto-pay, no input fee, NUT-19 on, quotes valid for an hour, fee reserve
     * {@code max(2 sat, 1%)} (nutshell's default), amounts up to 1,000,000 sat, 1000 inputs or outputs,
     * 1,000,000 sat of outbound liquidity.
     */
    public static Options defaults(String name) {
      return new Options(name, 0, "sat", null, 0, true, Duration.ofHours(1), 2, 10_000, 1_000_000, 1000, 1_000_000);
    }

    public Options withPort(int p) {
      return new Options(name, p, unit, autoPay, inputFeePpk, responseCache, quoteExpiry, feeReserveMinSat,
          feeReservePpm, maxAmount, maxInputsOutputs, lightningBalanceSat);
    }

    /** The faucet pays every mint quote at once (true) or never (false). */
    public Options withAutoPay(boolean on) {
      return withAutoPayAfter(on ? Duration.ZERO : null);
    }

    /** The faucet pays every mint quote {@code delay} after it is made (null: never). */
    public Options withAutoPayAfter(Duration delay) {
      return new Options(name, port, unit, delay, inputFeePpk, responseCache, quoteExpiry, feeReserveMinSat,
          feeReservePpm, maxAmount, maxInputsOutputs, lightningBalanceSat);
    }

    public Options withInputFeePpk(long ppk) {
      return new Options(name, port, unit, autoPay, ppk, responseCache, quoteExpiry, feeReserveMinSat,
          feeReservePpm, maxAmount, maxInputsOutputs, lightningBalanceSat);
    }

    public Options withResponseCache(boolean on) {
      return new Options(name, port, unit, autoPay, inputFeePpk, on, quoteExpiry, feeReserveMinSat,
          feeReservePpm, maxAmount, maxInputsOutputs, lightningBalanceSat);
    }

    public Options withQuoteExpiry(Duration d) {
      return new Options(name, port, unit, autoPay, inputFeePpk, responseCache, d, feeReserveMinSat,
          feeReservePpm, maxAmount, maxInputsOutputs, lightningBalanceSat);
    }

    public Options withFeeReserve(long minSat, long ppm) {
      return new Options(name, port, unit, autoPay, inputFeePpk, responseCache, quoteExpiry, minSat, ppm,
          maxAmount, maxInputsOutputs, lightningBalanceSat);
    }

    public Options withMaxAmount(long max) {
      return new Options(name, port, unit, autoPay, inputFeePpk, responseCache, quoteExpiry, feeReserveMinSat,
          feeReservePpm, max, maxInputsOutputs, lightningBalanceSat);
    }

    public Options withMaxInputsOutputs(int max) {
      return new Options(name, port, unit, autoPay, inputFeePpk, responseCache, quoteExpiry, feeReserveMinSat,
          feeReservePpm, maxAmount, max, lightningBalanceSat);
    }

    public Options withLightningBalance(long sat) {
      return new Options(name, port, unit, autoPay, inputFeePpk, responseCache, quoteExpiry, feeReserveMinSat,
          feeReservePpm, maxAmount, maxInputsOutputs, sat);
    }
  }

  /** NUT-19 entries live this long; advertised as the cache's {@code ttl}. */
  private static final Duration CACHE_TTL = Duration.ofHours(1);

  private final Options options;
  private final LightningNetwork network;
  private final LightningNode node;
  private final MintKeysets keysets;
  private final ResponseCache cache;
  private final HttpFaults faults = new HttpFaults();
  private final String infoPubkey;
  private final HttpServer server;
  private final ExecutorService executor;

  private DevMint(LightningNetwork network, Options options, String host) throws IOException {
    this.options = options;
    this.network = network;
    byte[] seed = Digests.sha256(("archy-devmint:" + options.name()).getBytes(StandardCharsets.UTF_8));
    // bind first: a taken port must not leave a node behind that blocks a retry under the same name
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(host), options.port()), 0);
    try {
      this.node = network.createNode(options.name(), options.lightningBalanceSat());
    } catch (IllegalArgumentException nameTaken) {
      server.stop(0);
      throw nameTaken;
    }
    this.keysets = new MintKeysets(seed, options.unit(), options.inputFeePpk(), network.clock());
    this.cache = new ResponseCache(options.responseCache(), CACHE_TTL, network.clock());
    this.infoPubkey = Scalar.reduce(Digests.sha256(seed)).publicKey().toHex();
    ProofLedger ledger = new ProofLedger();
    MeltQuotes melts = new MeltQuotes(options, node, network, keysets, ledger);
    MintQuotes mints = new MintQuotes(options, node, network, keysets, ledger);
    Swaps swaps = new Swaps(options, keysets, ledger, melts);
    this.executor = Executors.newVirtualThreadPerTaskExecutor();
    server.setExecutor(executor);
    server.createContext("/", new MintRoutes(this, keysets, swaps, mints, melts, cache, faults));
    server.start();
  }

  /** Starts a mint on 127.0.0.1 whose Lightning node joins {@code network}. */
  public static DevMint start(LightningNetwork network, Options options) throws IOException {
    return start(network, options, "127.0.0.1");
  }

  /** As {@link #start(LightningNetwork, Options)}, listening on {@code host}. */
  public static DevMint start(LightningNetwork network, Options options, String host) throws IOException {
    return new DevMint(network, options, host);
  }

  /** The base URL, without a trailing slash, e.g. {@code http://127.0.0.1:41234}. */
  public String url() {
    InetSocketAddress a = server.getAddress();
    String host = a.getAddress().getHostAddress();
    if (host.contains(":")) host = "[" + host + "]";
    return "http://" + host + ":" + a.getPort();
  }

  public Options options() {
    return options;
  }

  /** The mint's node: its balance is the mint's Lightning liquidity; arm {@link Fault}s on it to fail melts. */
  public LightningNode node() {
    return node;
  }

  public LightningNetwork network() {
    return network;
  }

  public KeysetInfo activeKeyset() {
    return keysets.active().info();
  }

  public List<KeysetInfo> keysets() {
    return keysets.all().stream().map(MintKeysets.Entry::info).toList();
  }

  /** A new active keyset with {@code inputFeePpk}; the previous one turns inactive but still redeems. */
  public KeysetInfo rotateKeyset(long inputFeePpk) {
    return keysets.rotate(inputFeePpk, null);
  }

  /** As {@link #rotateKeyset(long)}, for a keyset that expires at {@code finalExpiry} (12003 after). */
  public KeysetInfo rotateKeyset(long inputFeePpk, Instant finalExpiry) {
    return keysets.rotate(inputFeePpk, finalExpiry.getEpochSecond());
  }

  /** Switches NUT-19 on or off; switching off forgets every cached answer. */
  public void responseCache(boolean on) {
    cache.enabled(on);
  }

  public HttpFaults faults() {
    return faults;
  }

  String infoPubkey() {
    return infoPubkey;
  }

  /** Stops serving at once; requests in flight are cut off. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  @Override
  public String toString() {
    return "DevMint[" + options.name() + " at " + url() + "]";
  }
}
