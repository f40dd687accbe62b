package archy.film;

/**
 * Where a seeder serves blobs: {@code https} (or {@code http}) with a base URL (no trailing slash; {@code alpn}
 * and {@code fingerprint} null), or {@code quic} with {@code host:port}, an ALPN protocol id and the SHA-256 (hex)
 * of the seeder's certificate, which a client pins (PROTOCOLS.md §5.0; null when the advert names none, and then
 * the endpoint is never dialled).
 */
public record Endpoint(String transport, String address, String alpn, String fingerprint) {
  public static Endpoint http(String scheme, String baseUrl) {
    return new Endpoint(scheme, baseUrl, null, null);
  }

  public static Endpoint https(String baseUrl) {
    return http("https", baseUrl);
  }

  /** An HTTP(S) Blossom base URL: {@code https}, or {@code http} where plain HTTP is allowed (tests, LANs). */
  public boolean isHttp() {
    return transport.equals("https") || transport.equals("http");
  }

  public static Endpoint quic(String hostPort, String alpn, String fingerprint) {
    return new Endpoint("quic", hostPort, alpn, fingerprint);
  }

  /** A QUIC endpoint a client may dial: one that names the certificate to pin. */
  public boolean isPinnedQuic() {
    return transport.equals("quic") && fingerprint != null;
  }
}
