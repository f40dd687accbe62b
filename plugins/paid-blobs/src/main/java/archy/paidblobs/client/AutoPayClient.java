package archy.paidblobs.client;

import archy.ecash.request.InvalidPaymentRequestException;
import archy.ecash.request.PaymentRequest;
import archy.hash.Blake3;
import archy.nostr.Hex;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The payer's side of PROTOCOLS.md §4.1: GETs a blob, and on a 402 reads the request ({@code creqA} or
 * {@code creqB}), checks it against the caps ({@link Spending}), pays from a {@link TokenSource}, and retries with
 * {@code X-Cashu}; the server's {@code X-Archy-Session} is kept per host and sent on every later request, so the
 * credit bought pays for the following blobs. A lost answer is retried with the same token (the server's replay
 * set credits it once), never a new one. When a price is over {@code free_origin_above_sats_per_mb}, the configured
 * free origins are tried first. Whole blobs are verified against their address before they are kept.
 */
public final class AutoPayClient {
  public static final String CASHU = "X-Cashu";
  public static final String SESSION = "X-Archy-Session";
  private static final int ATTEMPTS = 3;

  private final HttpClient http;
  private final TokenSource tokens;
  private final AutoPayConfig config;
  private final Spending spending;
  private final Map<String, String> sessions = new ConcurrentHashMap<>();

  public AutoPayClient(HttpClient http, TokenSource tokens, AutoPayConfig config, Clock clock) {
    this.http = http;
    this.tokens = tokens;
    this.config = config;
    this.spending = new Spending(config, clock);
  }

  /** What a fetch did: where the bytes came from, how many, and what it paid. */
  public record Fetched(URI from, long bytes, long satsPaid) {}

  /** Fetches the whole blob into {@code out} (replaced only once the bytes match the address). */
  public Fetched fetch(BlobTarget target, Path out) throws IOException, InterruptedException, PaymentRefusedException {
    Path part = out.resolveSibling(out.getFileName() + ".part");
    try {
      Fetched fetched = download(target, part);
      Files.move(part, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return fetched;
    } finally {
      Files.deleteIfExists(part);
    }
  }

  /** Sats paid today (UTC) by this client. */
  public long spentToday() {
    return spending.today();
  }

  /** The session this client holds at {@code host} ({@code scheme://authority}), if any. */
  public Optional<String> session(String host) {
    return Optional.ofNullable(sessions.get(host));
  }

  private Fetched download(BlobTarget target, Path part) throws IOException, InterruptedException, PaymentRefusedException {
    HttpResponse<InputStream> r = get(target.url(), null);
    if (r.statusCode() != 402) return keep(target, target.url(), r, part, 0);
    PaymentRequest request = request(r);
    remember(target.host(), r);
    Optional<Fetched> free = tryFreeOrigins(target, request, part);
    if (free.isPresent()) return free.get();
    String scope = request.id() == null ? "" : request.id();
    long sats = Math.max(request.amount(), Math.min(config.topUpSats(), config.maxSatsPerRequest()));
    Optional<String> refusal = spending.refusal(target.host(), scope, sats);
    if (refusal.isPresent()) throw new PaymentRefusedException(target.host() + " " + refusal.get());
    String token;
    try {
      token = tokens.token(request.mints() == null ? List.of() : request.mints(), sats);
    } catch (PaymentRefusedException e) {
      throw e;
    } catch (Exception e) {
      throw new PaymentRefusedException("the wallet could not make a token: " + e.getMessage());
    }
    spending.paid(target.host(), scope, sats);
    // From here the token is spent as far as we know: every retry carries this very token.
    HttpResponse<InputStream> paid = get(target.url(), token);
    if (paid.statusCode() == 402 || paid.statusCode() == 400) {
      String reason = paid.headers().firstValue("X-Reason").orElse("");
      paid.body().close();
      throw new PaymentRefusedException(target.host() + " answered " + paid.statusCode() + " to a payment: " + reason);
    }
    remember(target.host(), paid);
    return keep(target, target.url(), paid, part, sats);
  }

  /** A cheaper source first when the price is over the limit: a free origin's bytes, checked like any others. */
  private Optional<Fetched> tryFreeOrigins(BlobTarget target, PaymentRequest request, Path part)
      throws IOException, InterruptedException {
    if (config.freeOrigins().isEmpty()) return Optional.empty();
    HttpResponse<Void> head = http.send(HttpRequest.newBuilder(target.url()).method("HEAD", HttpRequest.BodyPublishers.noBody())
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.discarding());
    long size = head.headers().firstValueAsLong("Content-Length").orElse(0);
    if (size <= 0 || request.amount() * 1_000_000L / size <= config.freeOriginAboveSatsPerMb()) return Optional.empty();
    for (String origin : config.freeOrigins()) {
      URI url = target.at(origin);
      try {
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30)).GET().build(),
            HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() == 200) return Optional.of(keep(target, url, r, part, 0));
        r.body().close();
      } catch (IOException e) {
        // that origin is down or sent bytes that do not match: try the next one, else pay
      }
    }
    return Optional.empty();
  }

  /** One GET, retried on a lost answer with the same headers: a token sent twice is credited once. */
  private HttpResponse<InputStream> get(URI url, String token) throws IOException, InterruptedException {
    IOException last = null;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(10)).GET();
      String session = sessions.get(host(url));
      if (session != null) b.header(SESSION, session);
      if (token != null) b.header(CASHU, token);
      try {
        return http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
      } catch (IOException e) {
        last = e;
      }
    }
    throw last;
  }

  private static PaymentRequest request(HttpResponse<InputStream> r) throws IOException, PaymentRefusedException {
    r.body().close();
    String header = r.headers().firstValue(CASHU).orElseThrow(() -> new PaymentRefusedException("a 402 without X-Cashu"));
    try {
      PaymentRequest request = PaymentRequest.decode(header);
      if (request.amount() == null || !"sat".equals(request.unit())) {
        throw new PaymentRefusedException("the payment request is not an amount in sat");
      }
      return request;
    } catch (InvalidPaymentRequestException e) {
      throw new PaymentRefusedException("unreadable payment request: " + e.getMessage());
    }
  }

  private void remember(String host, HttpResponse<?> r) {
    r.headers().firstValue(SESSION).filter(s -> s.matches("[A-Za-z0-9_-]{1,64}")).ifPresent(s -> sessions.put(host, s));
  }

  /** Streams a 200 into {@code part} while hashing it, and refuses bytes that are not the blob asked for. */
  private static Fetched keep(BlobTarget target, URI from, HttpResponse<InputStream> r, Path part, long sats)
      throws IOException {
    if (r.statusCode() != 200) {
      String reason = r.headers().firstValue("X-Reason").orElse("");
      r.body().close();
      throw new IOException(from + " answered " + r.statusCode() + (reason.isEmpty() ? "" : ": " + reason));
    }
    Blake3 blake3 = target.hash() == BlobTarget.Hash.BLAKE3 ? new Blake3() : null;
    MessageDigest sha256 = target.hash() == BlobTarget.Hash.SHA256 ? sha256() : null;
    long bytes = 0;
    byte[] buf = new byte[1 << 16];
    try (InputStream in = r.body(); OutputStream out = Files.newOutputStream(part)) {
      for (int n; (n = in.read(buf)) > 0; bytes += n) {
        out.write(buf, 0, n);
        if (blake3 != null) blake3.update(buf, 0, n);
        else sha256.update(buf, 0, n);
      }
    }
    String got = blake3 != null ? Hex.encode(blake3.digest()) : Hex.encode(sha256.digest());
    if (!got.equals(target.hex())) throw new IOException(from + " sent bytes that are not " + target.hex());
    return new Fetched(from, bytes, sats);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String host(URI url) {
    return url.getScheme() + "://" + url.getAuthority();
  }
}
