package archy.film.fetch;

import archy.hash.Blake3;
import archy.nostr.Hex;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one HTTP path for fetching a content-addressed blob from another server: fetch-through, {@code archy fetch}
 * and whole-film downloads all go through {@link #open} (a GET that pays a 402 through a {@link Payer} when given
 * one) and {@link #copyVerified} (bytes kept only when they hash to the address asked for).
 *
 * <p>A GET whose answer is lost is sent again with the very same headers, so a token already sent is never
 * replaced by a new one (the server credits a token once). Redirects are not followed: a server must not steer
 * the caller to another (e.g. internal) address.
 */
public final class BlobHttp {
  public static final String CASHU = "X-Cashu";
  public static final String SESSION = "X-Archy-Session";
  private static final int ATTEMPTS = 3;

  private final HttpClient http;
  private final Duration responseTimeout;

  public BlobHttp(HttpClient http, Duration responseTimeout) {
    this.http = http;
    this.responseTimeout = responseTimeout;
  }

  /** A client that follows no redirects, with the given connect timeout. */
  public static HttpClient client(Duration connectTimeout) {
    return HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NEVER).build();
  }

  /** A 200 answer's body (the caller closes it), from where, what paying for it cost, and its length if given. */
  public record Opened(URI from, InputStream body, long length, long satsPaid) {}

  /** The server asked for payment and no payer was given: the 402's headers, for a caller that decides later. */
  public static final class PaymentNeeded extends IOException {
    private final transient HttpHeaders headers;

    PaymentNeeded(URI url, HttpHeaders headers) {
      super(url + " asks for payment: " + headers.firstValue("X-Reason").orElse("402"));
      this.headers = headers;
    }

    public HttpHeaders headers() {
      return headers;
    }
  }

  /**
   * GETs {@code url} with {@code headers} (e.g. a BUD-11 {@code Authorization}); a 402 is paid through
   * {@code payer} (null: not paid, {@link PaymentNeeded} is thrown). Any answer but 200 is an {@link IOException}
   * naming the status and the server's {@code X-Reason}.
   *
   * @param expectedBytes the blob's size when known (else -1), passed to the payer
   */
  public Opened open(URI url, Map<String, String> headers, Payer payer, long expectedBytes)
      throws IOException, InterruptedException, PaymentDeclined {
    Map<String, String> sent = new LinkedHashMap<>(headers);
    if (payer != null) sent.putAll(payer.sessionHeaders(url));
    HttpResponse<InputStream> r = send(url, sent);
    if (payer != null) payer.answered(url, r.statusCode(), r.headers());
    if (r.statusCode() == 402) {
      r.body().close();
      if (payer == null) throw new PaymentNeeded(url, r.headers());
      Payer.Payment payment = payer.pay(url, r.headers(), expectedBytes);
      sent.putAll(payment.headers());
      HttpResponse<InputStream> paid = send(url, sent);
      payer.answered(url, paid.statusCode(), paid.headers());
      if (paid.statusCode() == 400 || paid.statusCode() == 402) {
        paid.body().close();
        throw new PaymentDeclined(url + " answered " + paid.statusCode() + " to a payment: " + reason(paid));
      }
      return opened(url, paid, payment.sats());
    }
    return opened(url, r, 0);
  }

  private static Opened opened(URI url, HttpResponse<InputStream> r, long sats) throws IOException {
    if (r.statusCode() != 200) {
      r.body().close();
      String reason = reason(r);
      throw new IOException(url + " answered " + r.statusCode() + (reason.isEmpty() ? "" : ": " + reason));
    }
    return new Opened(url, r.body(), r.headers().firstValueAsLong("Content-Length").orElse(-1), sats);
  }

  private static String reason(HttpResponse<?> r) {
    return r.headers().firstValue("X-Reason").orElse("");
  }

  private HttpResponse<InputStream> send(URI url, Map<String, String> headers) throws IOException, InterruptedException {
    IOException last = null;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(responseTimeout).GET();
      headers.forEach(b::header);
      try {
        return http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
      } catch (InterruptedIOException e) {
        throw e;
      } catch (IOException e) {
        last = e;
      }
    }
    throw last;
  }

  /** How a blob is addressed: by sha256 (Blossom) or BLAKE3 (the film network), lowercase hex. */
  public record Address(boolean blake3, String hex) {
    public static Address sha256(String hex) {
      return new Address(false, hex);
    }

    public static Address blake3(String hex) {
      return new Address(true, hex);
    }

    @Override
    public String toString() {
      return blake3 ? "blake3:" + hex : hex;
    }
  }

  /**
   * Streams {@code in} to {@code out} while hashing, and fails unless the bytes hash to {@code address}; the caller
   * keeps {@code out}'s bytes only when this returns. Returns the byte count. Stops past {@code maxBytes}.
   */
  public static long copyVerified(InputStream in, OutputStream out, Address address, long maxBytes) throws IOException {
    Blake3 blake3 = address.blake3() ? new Blake3() : null;
    MessageDigest sha256 = address.blake3() ? null : sha256();
    long bytes = 0;
    byte[] buf = new byte[1 << 16];
    for (int n; (n = in.read(buf)) > 0; ) {
      bytes += n;
      if (bytes > maxBytes) throw new IOException("more than " + maxBytes + " bytes for " + address);
      out.write(buf, 0, n);
      if (blake3 != null) blake3.update(buf, 0, n);
      else sha256.update(buf, 0, n);
    }
    String got = Hex.encode(blake3 != null ? blake3.digest() : sha256.digest());
    if (!got.equals(address.hex())) throw new IOException("the bytes received are not " + address);
    return bytes;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
