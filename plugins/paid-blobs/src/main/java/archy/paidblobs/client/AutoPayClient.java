package archy.paidblobs.client;

import archy.ecash.request.InvalidPaymentRequestException;
import archy.ecash.request.PaymentRequest;
import archy.film.fetch.BlobHttp;
import archy.film.fetch.KnownRelay;
import archy.film.fetch.Payer;
import archy.film.fetch.PaymentDeclined;
import archy.film.fetch.RelayFetch;
import archy.film.fetch.SeederQuic;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The payer's side of PROTOCOLS.md §4.1, and the node's {@link Payer} for fetch-through: on a 402 it reads the
 * request ({@code creqA} or {@code creqB}), checks it against the caps ({@link Spending}), pays from a
 * {@link TokenSource}, and has the GET retried with {@code X-Cashu}; the server's {@code X-Archy-Session} is kept
 * per host ({@link SessionBook}) and sent on every later request, so the credit bought pays for the following
 * blobs. QUIC 402s ({@code archy/paid-blobs/1}, {@code archy/relay/1}) are paid through {@link #payRequest} within the
 * same caps, the per-host cap counting the host name across transports. A lost answer is retried with the same
 * token (the server's replay set credits it once), never a new one, on HTTP and QUIC. Each token is noted in the
 * wallet's history as {@code payment to <server> for <what>}. When a price is over {@code free_origin_above_sats_per_mb}, the configured free origins are tried first. The
 * bytes travel through film-catalog's {@link BlobHttp}, the one fetch-and-verify path, and whole blobs are kept
 * only when they match their address.
 */
public final class AutoPayClient implements Payer {
  public static final String CASHU = BlobHttp.CASHU;
  public static final String SESSION = BlobHttp.SESSION;
  private static final long MAX_BLOB_BYTES = 64L << 30;

  private final HttpClient http;
  private final BlobHttp blobs;
  private final TokenSource tokens;
  private final AutoPayConfig config;
  private final Spending spending;
  private final SessionBook sessions;
  /** Sats to buy at the next payment at least, whatever the 402 asks (a whole film at once); 0 = as configured. */
  private volatile long buyAhead;

  public AutoPayClient(HttpClient http, TokenSource tokens, AutoPayConfig config, Clock clock) {
    this(http, tokens, config, clock, SessionBook.inMemory());
  }

  /** A client whose sessions outlive the process, in {@code sessionFile} (e.g. under the data dir). */
  public static AutoPayClient withSessionFile(HttpClient http, TokenSource tokens, AutoPayConfig config, Clock clock,
                                              Path sessionFile) {
    return new AutoPayClient(http, tokens, config, clock, SessionBook.persistent(sessionFile));
  }

  private AutoPayClient(HttpClient http, TokenSource tokens, AutoPayConfig config, Clock clock, SessionBook sessions) {
    this.http = http;
    this.blobs = new BlobHttp(http, Duration.ofMinutes(10));
    this.tokens = tokens;
    this.config = config;
    this.spending = new Spending(config, clock);
    this.sessions = sessions;
  }

  /** What a fetch did: where the bytes came from, how many, and what it paid. */
  public record Fetched(URI from, long bytes, long satsPaid) {}

  /** Fetches the whole blob into {@code out} (replaced only once the bytes match the address). */
  public Fetched fetch(BlobTarget target, Path out) throws IOException, InterruptedException, PaymentRefusedException {
    return into(out, part -> download(target, part));
  }

  /**
   * Fetches the whole blob into {@code out} through a relay ({@code archy/relay/1}, PROTOCOLS.md §5.2), paying the
   * relay's 402 within the same caps as any host (its session is kept under {@code relay+quic://host:port}; the
   * per-host cap counts the host name, with the node's other transports); the bytes are kept only when they hash to
   * the BLAKE3 address asked for.
   *
   * @throws IllegalArgumentException when the target is not a BLAKE3 address (relays fetch by BLAKE3 only)
   * @throws RelayFetch.Refused when the relay refuses, with its status and reason
   */
  public Fetched fetchVia(RelayFetch relays, KnownRelay relay, BlobTarget target, Path out)
      throws IOException, InterruptedException, PaymentRefusedException {
    if (target.hash() != BlobTarget.Hash.BLAKE3) {
      throw new IllegalArgumentException("a relay fetches by BLAKE3 only: give blake3:<hex>, not a sha256");
    }
    return overQuic(target, out, RelayFetch.server(relay), () -> relays.open(relay, target.hex(), 0, this));
  }

  /**
   * Fetches the whole blob into {@code out} from a seeder's {@code archy/paid-blobs/1} endpoint
   * ({@code quic://host:port/<blake3>#<cert sha256>}), paying its 402 within the same caps as HTTP (the per-host
   * cap counts the host name, so HTTP and QUIC to one node share it); kept only when it hashes to the address.
   *
   * @throws RelayFetch.Refused when the seeder answers anything but the bytes, with its status and reason
   */
  public Fetched fetchQuic(SeederQuic seeders, BlobTarget target, Path out)
      throws IOException, InterruptedException, PaymentRefusedException {
    if (!target.isQuic()) throw new IllegalArgumentException("not a quic:// target: " + target.url());
    return overQuic(target, out, SeederQuic.server(target.hostPort()),
        () -> seeders.open(target.hostPort(), target.fingerprint(), target.hex(), this));
  }

  private interface QuicOpen {
    RelayFetch.Opened open() throws IOException, PaymentDeclined;
  }

  private static Fetched overQuic(BlobTarget target, Path out, URI from, QuicOpen open)
      throws IOException, InterruptedException, PaymentRefusedException {
    return into(out, part -> {
      try (RelayFetch.Opened opened = open.open(); OutputStream o = Files.newOutputStream(part)) {
        long bytes = BlobHttp.copyVerified(opened.body(), o, target.address(), MAX_BLOB_BYTES);
        return new Fetched(from, bytes, opened.satsPaid());
      } catch (PaymentDeclined e) {
        throw new PaymentRefusedException(e.getMessage());
      }
    });
  }

  private interface Download {
    Fetched into(Path part) throws IOException, InterruptedException, PaymentRefusedException;
  }

  /** Runs {@code download} into {@code out}'s {@code .part} sibling and moves it over {@code out} once it is whole. */
  private static Fetched into(Path out, Download download) throws IOException, InterruptedException, PaymentRefusedException {
    Path part = out.resolveSibling(out.getFileName() + ".part");
    try {
      Fetched fetched = download.into(part);
      Files.move(part, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return fetched;
    } finally {
      Files.deleteIfExists(part);
    }
  }

  /** Makes the next payment buy at least {@code sats} (a whole film on one session); 0 resets. */
  public void buyAhead(long sats) {
    buyAhead = Math.max(0, sats);
  }

  /** Sats paid today (UTC) by this client. */
  public long spentToday() {
    return spending.today();
  }

  /** The session this client holds at {@code host} ({@code scheme://authority}), if any. */
  public Optional<String> session(String host) {
    return sessions.get(host);
  }

  private Fetched download(BlobTarget target, Path part) throws IOException, InterruptedException, PaymentRefusedException {
    try {
      return keep(target, blobs.open(target.url(), Map.of(), null, -1), part);
    } catch (BlobHttp.PaymentNeeded needed) {
      Optional<Fetched> free = tryFreeOrigins(target, needed.headers(), part);
      if (free.isPresent()) return free.get();
    } catch (PaymentDeclined impossible) {
      throw new IllegalStateException("no payer was given, so nothing was declined", impossible);
    }
    try {
      return keep(target, blobs.open(target.url(), Map.of(), this, -1), part);
    } catch (PaymentDeclined e) {
      throw new PaymentRefusedException(e.getMessage());
    }
  }

  @Override
  public Map<String, String> sessionHeaders(URI url) {
    return sessions.get(host(url)).map(s -> Map.of(SESSION, s)).orElse(Map.of());
  }

  @Override
  public void answered(URI url, int status, HttpHeaders headers) {
    headers.firstValue(SESSION).ifPresent(s -> sessions.put(host(url), s));
    if (status == 200 || status == 206) spending.delivered(host(url));
  }

  @Override
  public Payment pay(URI url, HttpHeaders headers, long expectedBytes) throws PaymentDeclined {
    return pay(host(url), request(headers), url.getPath());
  }

  @Override
  public Payment payRequest(URI server, String request, String what, long expectedBytes) throws PaymentDeclined {
    return pay(host(server), decode(request), what);
  }

  @Override
  public Optional<String> session(URI server) {
    return sessions.get(host(server));
  }

  @Override
  public void rememberSession(URI server, String session, boolean delivered) {
    if (session != null) sessions.put(host(server), session);
    if (delivered) spending.delivered(host(server));
  }

  private Payment pay(String host, PaymentRequest request, String what) throws PaymentDeclined {
    String scope = ""; // the client's own scope, never the server's request id (it could pick a new one per 402)
    // Buy for several blobs like this one at once (a film is not one payment per segment), within the cap.
    long ahead = Math.max(buyAhead, Math.max(config.topUpSats(), request.amount() * config.buyAheadBlobs()));
    long sats = Math.max(request.amount(), Math.min(ahead, config.maxSatsPerRequest()));
    Optional<String> refusal = spending.reserve(host, scope, sats); // counted now: parallel payers see it
    if (refusal.isPresent()) throw new PaymentDeclined(host + " " + refusal.get());
    String token;
    try {
      // The note is the payer's record (the wallet's history): to whom and for what, on any transport.
      token = tokens.token(request.mints() == null ? List.of() : request.mints(), sats, spending.budget(host),
          "payment to " + host + " for " + what);
    } catch (Exception e) {
      spending.release(host, scope, sats); // no token left: nothing was paid
      if (e instanceof PaymentRefusedException) throw new PaymentDeclined(e.getMessage());
      throw new PaymentDeclined("the wallet could not make a token: " + e.getMessage());
    }
    buyAhead = 0;
    return new Payment(Map.of(CASHU, token), sats);
  }

  /** A cheaper source first when the price is over the limit: a free origin's bytes, checked like any others. */
  private Optional<Fetched> tryFreeOrigins(BlobTarget target, HttpHeaders payment, Path part)
      throws IOException, InterruptedException {
    if (config.freeOrigins().isEmpty()) return Optional.empty();
    PaymentRequest request;
    try {
      request = request(payment);
    } catch (PaymentDeclined unreadable) {
      return Optional.empty(); // the payment step reports it
    }
    HttpResponse<Void> head = http.send(HttpRequest.newBuilder(target.url()).method("HEAD", HttpRequest.BodyPublishers.noBody())
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.discarding());
    long size = head.headers().firstValueAsLong("Content-Length").orElse(0);
    if (size <= 0 || request.amount() * 1_000_000L / size <= config.freeOriginAboveSatsPerMb()) return Optional.empty();
    for (String origin : config.freeOrigins()) {
      try {
        return Optional.of(keep(target, blobs.open(target.at(origin), Map.of(), null, size), part));
      } catch (IOException | PaymentDeclined e) {
        // that origin is down, asks for payment or sent bytes that do not match: try the next one, else pay
      }
    }
    return Optional.empty();
  }

  private static PaymentRequest request(HttpHeaders headers) throws PaymentDeclined {
    return decode(headers.firstValue(CASHU).orElseThrow(() -> new PaymentDeclined("a 402 without X-Cashu")));
  }

  private static PaymentRequest decode(String header) throws PaymentDeclined {
    try {
      PaymentRequest request = PaymentRequest.decode(header);
      if (request.amount() == null || !"sat".equals(request.unit())) {
        throw new PaymentDeclined("the payment request is not an amount in sat");
      }
      return request;
    } catch (InvalidPaymentRequestException e) {
      throw new PaymentDeclined("unreadable payment request: " + e.getMessage());
    }
  }

  /** Streams a 200 into {@code part} while hashing it, and refuses bytes that are not the blob asked for. */
  private static Fetched keep(BlobTarget target, BlobHttp.Opened opened, Path part) throws IOException {
    long bytes;
    try (InputStream in = opened.body(); OutputStream out = Files.newOutputStream(part)) {
      bytes = BlobHttp.copyVerified(in, out, target.address(), MAX_BLOB_BYTES);
    } catch (IOException e) {
      throw new IOException(opened.from() + ": " + e.getMessage(), e);
    }
    return new Fetched(opened.from(), bytes, opened.satsPaid());
  }

  private static String host(URI url) {
    return url.getScheme() + "://" + url.getAuthority();
  }
}
